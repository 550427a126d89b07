// Bad catalogue input through the real `batchgen --all`: each case breaks one thing in a copy of
// the project and expects exit code 2, one error line naming the file, the material and the field,
// and not a single generated file added, removed, rewritten or touched.
import { existsSync } from 'node:fs';
import { cp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.ts';
import { copyProject, REPO_ROOT } from '../helpers/project-copy.ts';
import { fingerprint } from '../helpers/tree.ts';

type Doc = Record<string, any>;

interface Expected {
  file: string;
  material?: string;
  field?: string;
  problem: RegExp;
}

const METAL = 'content/materials/metal.yaml';
const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

/** Parses a catalogue file, lets `edit` change it, writes it back. */
async function editYaml(root: string, file: string, edit: (doc: Doc) => void): Promise<void> {
  const full = path.join(root, file);
  const doc = parse(await readFile(full, 'utf8')) as Doc;
  edit(doc);
  await writeFile(full, stringify(doc, { lineWidth: 0 }));
}

async function editText(root: string, file: string, edit: (text: string) => string): Promise<void> {
  const full = path.join(root, file);
  await writeFile(full, edit(await readFile(full, 'utf8')));
}

const aluminum = (edit: (material: Doc) => void) => (root: string) => editYaml(root, METAL, (doc) => edit(doc.materials[0]));

/**
 * Project copies the cases take turns on, one per core: copying the project (1,090 generated
 * files) for every case would cost more than the runs themselves. Before each case the lane's
 * catalogue is put back as committed; its generated files must never change, so they are
 * fingerprinted once and compared after every run.
 */
interface Lane {
  root: string;
  cleanup: () => Promise<void>;
  components: Map<string, string>;
}
const idle: Lane[] = [];
const waiting: Array<(lane: Lane) => void> = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const copy = await copyProject();
    idle.push({ ...copy, components: await fingerprint(path.join(copy.root, 'content', 'components')) });
  }
});
afterAll(async () => {
  await Promise.all(idle.map((lane) => lane.cleanup()));
});

async function withLane<T>(work: (lane: Lane) => Promise<T>): Promise<T> {
  const lane = idle.pop() ?? (await new Promise<Lane>((resolve) => waiting.push(resolve)));
  try {
    for (const entry of ['content/materials', 'content/authors.yaml']) {
      await rm(path.join(lane.root, entry), { recursive: true, force: true });
      await cp(path.join(REPO_ROOT, entry), path.join(lane.root, entry), { recursive: true });
    }
    return await work(lane);
  } finally {
    const next = waiting.shift();
    if (next) next(lane);
    else idle.push(lane);
  }
}

/** Breaks the catalogue of a project copy, runs `batchgen --all` and checks the error and that nothing was touched. */
function expectRefused(breakIt: (root: string) => Promise<void>, expected: Expected): Promise<string> {
  return withLane(async ({ root, components }) => {
    await breakIt(root);
    const run = await runCli(root, ['--all']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    const where = [
      expected.file,
      expected.material === undefined ? undefined : `material ${JSON.stringify(expected.material)}`,
      expected.field === undefined ? undefined : `field "${expected.field}"`,
    ]
      .filter(Boolean)
      .join(', ');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]!.startsWith(`batchgen: ${where}: `), run.stderr).toBe(true);
    expect(lines[0]!.slice(`batchgen: ${where}: `.length)).toMatch(expected.problem);
    // A one-line message, whatever the size of the bad value.
    expect(run.stderr.length).toBeLessThan(1000);
    expect(await fingerprint(path.join(root, 'content', 'components'))).toEqual(components);
    // Nothing started: no lock, no report, no failure record.
    expect(existsSync(path.join(root, '.batchgen'))).toBe(false);
    return run.stderr;
  });
}

describe.concurrent('bad catalogue input stops the run with exit 2, names file, material and field, and touches nothing', () => {
  it('invalid YAML: the line, column and material of the error', async () => {
    await expectRefused((root) => editText(root, METAL, (t) => t.replace(/^( {4}description: )A light.*$/m, '$1[unclosed')), {
      file: METAL,
      material: 'Aluminum',
      problem: /^invalid YAML at line \d+, column \d+: /,
    });
  });

  it('a key given twice in one material (YAML duplicate key)', async () => {
    await expectRefused((root) => editText(root, METAL, (t) => t.replace('    formula: Al\n', '    formula: Al\n    formula: Al2\n')), {
      file: METAL,
      material: 'Aluminum',
      problem: /^invalid YAML at line 7, column 5: Map keys must be unique/,
    });
  });

  it('a YAML alias bomb is refused, not expanded', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`)].join('\n');
    await expectRefused((root) => editText(root, METAL, (t) => `${t}\n${bomb}\n`), {
      file: METAL,
      problem: /^cannot be expanded: .*alias/,
    });
  });

  it('duplicate material names across two files', async () => {
    await expectRefused((root) => editYaml(root, 'content/materials/glass.yaml', (d) => (d.materials[0].name = 'Aluminum')), {
      file: METAL,
      material: 'Aluminum',
      field: 'name',
      problem: /^duplicate material name \(also in content\/materials\/glass\.yaml\)/,
    });
  });

  it('two names with the same slug', async () => {
    await expectRefused((root) => editYaml(root, METAL, (d) => (d.materials[1].name = 'ALUMINUM')), {
      file: METAL,
      material: 'ALUMINUM',
      field: 'name',
      problem: /^slug "aluminum" is already used by "Aluminum" in content\/materials\/metal\.yaml; rename one of them/,
    });
  });

  it('names that differ only by Unicode normalisation', async () => {
    await expectRefused(
      (root) =>
        editYaml(root, METAL, (d) => {
          d.materials[0].name = 'Caf\u00e9 Bronze';
          d.materials[1].name = 'Cafe\u0301 Bronze';
        }),
      { file: METAL, material: 'Caf\u00e9 Bronze', field: 'name', problem: /^duplicate material name/ },
    );
  });

  it('an unknown category', async () => {
    await expectRefused((root) => editYaml(root, METAL, (d) => (d.category = 'metals')), {
      file: METAL,
      field: 'category',
      problem: /^unknown category "metals"/,
    });
  });

  it('a category file named .yml instead of .yaml (its materials would silently vanish)', async () => {
    await expectRefused((root) => rename(path.join(root, METAL), path.join(root, 'content/materials/metal.yml')), {
      file: 'content/materials/metal.yml',
      problem: /^category files end in \.yaml: rename it to metal\.yaml/,
    });
  });

  it('a missing required field', async () => {
    await expectRefused(aluminum((m) => delete m.description), { file: METAL, material: 'Aluminum', field: 'description', problem: /^is required$/ });
  });

  it('a field the schema does not know (a typo)', async () => {
    await expectRefused(
      aluminum((m) => {
        m.properties.densty = m.properties.density;
      }),
      { file: METAL, material: 'Aluminum', field: 'properties', problem: /densty/ },
    );
  });

  it('a number written as a string', async () => {
    await expectRefused(aluminum((m) => (m.properties.density.value = '2.70')), {
      file: METAL,
      material: 'Aluminum',
      field: 'properties.density.value',
      problem: /expected number, received string/,
    });
  });

  it('a list written as a string', async () => {
    await expectRefused(aluminum((m) => (m.contaminants = 'rust')), {
      file: METAL,
      material: 'Aluminum',
      field: 'contaminants',
      problem: /expected array, received string/,
    });
  });

  it('a density of 0', async () => {
    await expectRefused(aluminum((m) => (m.properties.density.value = 0)), {
      file: METAL,
      material: 'Aluminum',
      field: 'properties.density.value',
      problem: /^must lie between 0\.05 and 25$/,
    });
  });

  it('a negative thermal conductivity', async () => {
    await expectRefused(aluminum((m) => (m.properties.thermalConductivity.value = -237)), {
      file: METAL,
      material: 'Aluminum',
      field: 'properties.thermalConductivity.value',
      problem: /^must lie between/,
    });
  });

  it('a melting point below absolute zero', async () => {
    await expectRefused(aluminum((m) => (m.properties.meltingPoint.value = -300)), {
      file: METAL,
      material: 'Aluminum',
      field: 'properties.meltingPoint.value',
      problem: /^must lie between -100 and 4000$/,
    });
  });

  it('an absurd value (a density of a billion g/cm³)', async () => {
    await expectRefused(aluminum((m) => (m.properties.density.value = 1e9)), {
      file: METAL,
      material: 'Aluminum',
      field: 'properties.density.value',
      problem: /^must lie between/,
    });
  });

  it('a range whose min is larger than its max', async () => {
    await expectRefused(aluminum((m) => (m.laser.fluence = { min: 3, max: 0.5, unit: 'J/cm²' })), {
      file: METAL,
      material: 'Aluminum',
      field: 'laser.fluence.min',
      problem: /^`min` is larger than `max`$/,
    });
  });

  it('an unknown unit, listing the allowed ones', async () => {
    await expectRefused(aluminum((m) => (m.properties.thermalConductivity.unit = 'BTU/(h·ft·°F)')), {
      file: METAL,
      material: 'Aluminum',
      field: 'properties.thermalConductivity.unit',
      problem: /^unknown unit "BTU\/\(h·ft·°F\)"; use one of "W\/\(m·K\)"$/,
    });
  });

  it('a 10 MB description: refused with a one-line message', async () => {
    await expectRefused(aluminum((m) => (m.description = TEN_MB)), {
      file: METAL,
      material: 'Aluminum',
      field: 'description',
      problem: /^must be at most 400 characters$/,
    });
  });

  it('a 10 MB name: the material is named by its position', async () => {
    await expectRefused(aluminum((m) => (m.name = TEN_MB)), { file: METAL, material: '#1', field: 'name', problem: /^must be at most 80 characters$/ });
  });

  it('a name trying path traversal (../../x)', async () => {
    await expectRefused(aluminum((m) => (m.name = '../../x')), { file: METAL, material: '../../x', field: 'name', problem: /^must not contain slashes, "\.\."/ });
  });

  it('a name that is an absolute path', async () => {
    await expectRefused(aluminum((m) => (m.name = '/etc/passwd')), { file: METAL, material: '/etc/passwd', field: 'name', problem: /^must not contain slashes/ });
  });

  it('a name with a NUL byte: refused, and the error shows it escaped', async () => {
    const stderr = await expectRefused(aluminum((m) => (m.name = 'Alu\u0000minum')), {
      file: METAL,
      material: 'Alu\u0000minum',
      field: 'name',
      problem: /control, invisible or text-direction characters/,
    });
    expect(stderr).toContain('material "Alu\\u0000minum"');
    expect(stderr).not.toContain('\u0000');
  });

  it('a name with a text-direction override (shows differently from what it is)', async () => {
    await expectRefused(aluminum((m) => (m.name = 'Alu\u202Emunim')), {
      file: METAL,
      material: 'Alu\u202Emunim',
      field: 'name',
      problem: /control, invisible or text-direction characters/,
    });
  });

  it('an empty catalogue: no category files at all', async () => {
    await expectRefused(
      async (root) => {
        const dir = path.join(root, 'content', 'materials');
        for (const file of await readdir(dir)) await rm(path.join(dir, file));
      },
      { file: 'content/materials', problem: /^the catalogue has no materials/ },
    );
  });

  it('an empty category: a file that lists no materials', async () => {
    await expectRefused((root) => editYaml(root, METAL, (d) => (d.materials = [])), { file: METAL, field: 'materials', problem: /^lists no materials$/ });
  });

  it('an unknown author id, naming the ones that exist', async () => {
    await expectRefused(aluminum((m) => (m.author = 'nobody')), {
      file: METAL,
      material: 'Aluminum',
      field: 'author',
      problem: /^unknown author id "nobody"; content\/authors\.yaml defines "applications-engineering", /,
    });
  });

  it('a broken author profile in authors.yaml', async () => {
    await expectRefused((root) => editYaml(root, 'content/authors.yaml', (d) => delete d.authors[0].bio), {
      file: 'content/authors.yaml',
      field: 'authors[0] (applications-engineering).bio',
      problem: /^is required$/,
    });
  });

  it('a material with no laser parameters', async () => {
    await expectRefused(aluminum((m) => (m.laser = { laserType: 'Q-switched pulsed fiber laser' })), {
      file: METAL,
      material: 'Aluminum',
      field: 'laser.wavelength',
      problem: /^is required$/,
    });
  });

  it('a material with no laser section at all', async () => {
    await expectRefused(aluminum((m) => delete m.laser), { file: METAL, material: 'Aluminum', field: 'laser', problem: /^is required$/ });
  });
});

describe('byte-order marks and CRLF line endings simply work', () => {
  it('a catalogue saved with a BOM and CRLF in every file plans exactly as the original, and --all exits 0', async () => {
    const pristine = await copyProject();
    const edited = await copyProject();
    try {
      const files = ['content/authors.yaml', ...(await readdir(path.join(edited.root, 'content', 'materials'))).map((f) => `content/materials/${f}`)];
      for (const file of files) await editText(edited.root, file, (t) => `\uFEFF${t.replace(/\n/g, '\r\n')}`);
      expect(await readFile(path.join(edited.root, METAL), 'utf8')).toMatch(/^\uFEFFcategory: metal\r\n/);
      const before = await fingerprint(path.join(edited.root, 'content', 'components'));

      const [status, expectedStatus, dryRun, expectedDryRun] = await Promise.all([
        runCli(edited.root, ['--status', '--json']),
        runCli(pristine.root, ['--status', '--json']),
        runCli(edited.root, ['--all', '--dry-run', '--json']),
        runCli(pristine.root, ['--all', '--dry-run', '--json']),
      ]);
      expect(status.code, status.stderr).toBe(0);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(JSON.parse(status.stdout).materials).toBe(109);
      // Same catalogue records, so the same inputs hashes: the same status and the same plan.
      expect(status.stdout).toBe(expectedStatus.stdout);
      expect(dryRun.stdout).toBe(expectedDryRun.stdout);
      expect(await fingerprint(path.join(edited.root, 'content', 'components'))).toEqual(before);

      // The real run does on the edited copy exactly what it does on the original.
      const [run, expectedRun] = await Promise.all([runCli(edited.root, ['--all', '--json']), runCli(pristine.root, ['--all', '--json'])]);
      const outcome = (r: typeof run) => {
        const { durationMs, tokens, byCategory, recommendations, ...rest } = JSON.parse(r.stdout);
        return { code: r.code, ...rest };
      };
      expect(outcome(run)).toEqual(outcome(expectedRun));
      expect(run.code, run.stderr).toBe(0);
    } finally {
      await Promise.all([pristine.cleanup(), edited.cleanup()]);
    }
  });
});
