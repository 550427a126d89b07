import { randomFrom } from './random.ts';
import { fitText, proseSubject, tagCandidates } from './prose.ts';
const mats = ['Aluminum', 'Stainless Steel', 'Carrara Marble', 'Oak', 'Borosilicate Glass', 'Polycarbonate', 'Carbon Fiber Reinforced Polymer', 'Alumina'];
for (const m of mats.slice(0, 3)) {
  const r = randomFrom('s', m);
  const s = proseSubject(m);
  console.log('---', m, s.kind);
  console.log(fitText(r, s, 'title', 10, 60));
  console.log(fitText(r, s, 'prose', 50, 160));
  console.log(fitText(r, s, 'question'));
  console.log(tagCandidates(r, s).slice(0, 6));
}
console.log(fitText(randomFrom('x'), proseSubject('Aluminum'), 'article', 2500, 6000));
function shingles(t: string, n: number, m: string) { const w = t.replaceAll(m, 'MAT').toLowerCase().replace(/[^a-z ]+/g, ' ').split(/\s+/).filter(Boolean); const s = new Set<string>(); for (let i = 0; i + n <= w.length; i++) s.add(w.slice(i, i + n).join(' ')); return s; }
function jac(a: Set<string>, b: Set<string>) { let i = 0; for (const x of a) if (b.has(x)) i++; return i / (a.size + b.size - i); }
for (const [len, style] of [[300, 'prose'], [800, 'prose'], [3000, 'article']] as const) {
  let worst = 0, sum = 0, n = 0;
  const texts = ['Aluminum', 'Copper', 'Brass', 'Titanium', 'Nickel', 'Zinc', 'Magnesium', 'Tin'].map((m) => [m, fitText(randomFrom('seed', m, style), proseSubject(m), style, len, len * 2)] as const);
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) { for (const k of [3, 5]) { if (k === 5) { const v = jac(shingles(texts[i]![1], k, texts[i]![0]), shingles(texts[j]![1], k, texts[j]![0])); worst = Math.max(worst, v); sum += v; n++; } } }
  console.log(style, len, 'jaccard5 worst', worst.toFixed(3), 'mean', (sum / n).toFixed(3), 'digits?', texts.some(([, t]) => /\d/.test(t)));
}
