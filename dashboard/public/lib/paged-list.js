// @ts-check
// A keyset-paginated list with a “加载更多” button, shared by the list pages.

import { api, qs } from './api.js';
import { formValues, h, render, toastError } from './dom.js';

/**
 * `fetchPage(cursor)` resolves to `{ items, next }` (`next` null on the last page); `row(item)` builds one
 * node; `empty()` (optional) the node shown when the first page is empty. `load(true)` starts over.
 * @template T
 * @template C
 * @param {{ container: Element, fetchPage: (cursor: C | undefined) => Promise<{ items: T[], next: C | null | undefined }>,
 *   row: (item: T) => Node, empty?: () => Node }} options
 */
export function pagedList({ container, fetchPage, row, empty }) {
  const more = h('button', { type: 'button', text: '加载更多', hidden: true });
  /** @type {C | undefined} */
  let cursor;
  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) {
      cursor = undefined;
      render(container);
    }
    try {
      const page = await fetchPage(cursor);
      if (reset && page.items.length === 0 && empty) container.append(empty());
      for (const item of page.items) container.append(row(item));
      cursor = page.next ?? undefined;
      more.hidden = !page.next;
    } catch (e) {
      toastError(e);
    }
  }
  more.addEventListener('click', () => void load(false));
  return { more, load };
}

/**
 * `fetchPage` for {@link pagedList} over a keyset-paginated API list: GET `path` with the current filters,
 * the cursor in the query parameter `cursorParam` and `limit`; the answer's `nextField` is the next cursor.
 * @param {string} path
 * @param {() => Record<string, unknown>} filters
 * @param {{ limit: number, cursorParam?: string, nextField?: string }} options
 * @returns {(cursor: unknown) => Promise<{ items: any[], next: unknown }>}
 */
export function keysetPages(path, filters, { limit, cursorParam = 'beforeId', nextField = 'nextBeforeId' }) {
  return async (cursor) => {
    const page = await api('GET', `${path}${qs({ ...filters(), [cursorParam]: cursor, limit })}`);
    return { items: page.items, next: page[nextField] };
  };
}

/**
 * A `.filters` search form: on submit it reads its fields, mirrors them in the address bar (when `urlPath`
 * is given, so a reload or a shared link keeps the filter) and hands them to `onFilter`.
 * @param {{ urlPath?: string, onFilter: (values: Record<string, string>) => void }} options
 * @param {...import('./dom.js').Child} children
 */
export function filterForm({ urlPath, onFilter }, ...children) {
  const form = h(
    'form',
    {
      class: 'filters',
      on: {
        submit: (/** @type {Event} */ e) => {
          e.preventDefault();
          const values = formValues(form);
          if (urlPath) history.replaceState(null, '', `${urlPath}${qs(values)}`);
          onFilter(values);
        },
      },
    },
    ...children,
  );
  return form;
}
