/**
 * A remark plugin for the site's Markdown: raw HTML is shown as text, and links or images whose
 * target is not http(s), mailto or a path on the site become plain text. The content checks
 * already refuse both in generated articles; this holds the line for files edited by hand.
 */

interface MdNode {
  type: string;
  value?: string;
  url?: string;
  children?: MdNode[];
}

const SAFE_URL = /^(?:https?:|mailto:|\/|#|\.{1,2}\/|[^:/?#]*(?:[/?#]|$))/i;

export function isSafeUrl(url: string): boolean {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
  const cleaned = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return SAFE_URL.test(cleaned);
}

function textOf(node: MdNode): string {
  if (node.value !== undefined) return node.value;
  return (node.children ?? []).map(textOf).join('');
}

function neutralise(node: MdNode): MdNode {
  if (node.type === 'html') return { type: 'text', value: node.value ?? '' };
  if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && node.url !== undefined && !isSafeUrl(node.url)) {
    const label = node.type === 'image' ? String((node as { alt?: string }).alt ?? '') : textOf(node);
    return { type: 'text', value: node.type === 'definition' ? '' : `${label} (${node.url})` };
  }
  if (node.children) node.children = node.children.map(neutralise);
  return node;
}

export default function remarkSafety() {
  return (tree: MdNode) => {
    neutralise(tree);
  };
}
