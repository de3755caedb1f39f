// Text of parsed HTML nodes, as the article extractor and its metadata readers see it.
import { hasChildren, isTag, isText, type AnyNode, type Element, type ParentNode } from 'domhandler';

export function textOf(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!hasChildren(node)) return '';
  let out = '';
  for (const child of node.children) out += textOf(child);
  return out;
}

/** What `.text()` returns: every text node below, in order (comments left out). */

export function hasDescendant(node: Element, tagName: string): boolean {
  for (const child of node.children)
    if (isTag(child) && (child.tagName === tagName || hasDescendant(child, tagName))) return true;
  return false;
}

export function hasAncestorOrSelf(node: Element, tagName: string): boolean {
  for (let el: ParentNode | null = node; el && isTag(el); el = el.parent) if (el.tagName === tagName) return true;
  return false;
}

export function clean(s: string | undefined): string {
  return (s ?? '').replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}
