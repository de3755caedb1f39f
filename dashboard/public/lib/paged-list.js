// A keyset-paginated list with a “加载更多” button, shared by the list pages.

import { h, render, toast } from './dom.js';

/**
 * `fetchPage(cursor)` resolves to `{ items, next }` (`next` null on the last page); `row(item)` builds one
 * node; `empty()` (optional) the node shown when the first page is empty. `load(true)` starts over.
 */
export function pagedList({ container, fetchPage, row, empty }) {
  const more = h('button', { type: 'button', text: '加载更多', hidden: true });
  let cursor;
  async function load(reset) {
    if (reset) { cursor = undefined; render(container); }
    try {
      const page = await fetchPage(cursor);
      if (reset && page.items.length === 0 && empty) container.append(empty());
      for (const item of page.items) container.append(row(item));
      cursor = page.next ?? undefined;
      more.hidden = !page.next;
    } catch (e) {
      toast(e.message, 'error');
    }
  }
  more.addEventListener('click', () => void load(false));
  return { more, load };
}
