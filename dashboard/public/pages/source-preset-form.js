// 信源 page: 按预设添加 — choose a preset (微博搜索, 微博用户 …) and fill in only its parameters. The fields are generated
// from each preset's params (GET /api/sources/presets); 检查 asks the server to validate without saving, and a
// refused parameter is marked at its own field with the server's message.
import { field, h, render, select, toast } from '../lib/dom.js';
import { api, ApiError } from '../lib/api.js';

/**
 * The preset form, or null when the presets cannot be read (not an admin).
 * @param {() => void} reload called after a source was added
 * @returns {Promise<HTMLElement | null>}
 */
export async function presetSourceForm(reload) {
  /** @type {Array<{ name: string, label: string, description: string, params: Array<{ key: string, label: string, required: boolean, help?: string, example?: string, secret?: boolean, choices?: Array<{ value: string, label: string }> }> }>} */
  let presets;
  try {
    presets = (await api('GET', '/api/sources/presets')).items;
  } catch {
    return null;
  }
  if (presets.length === 0) return null;
  const fields = h('div', { class: 'filters', id: 'preset-params' });
  const description = h('p', { class: 'muted' });
  const preview = h('pre', { class: 'preset-preview', hidden: true });
  const presetSelect = select(
    'preset',
    presets.map((p) => [p.name, p.label]),
    presets[0]?.name,
    { on: { change: () => showParams() } },
  );

  function showParams() {
    const preset = presets.find((p) => p.name === presetSelect.value);
    description.textContent = preset?.description ?? '';
    preview.hidden = true;
    render(
      fields,
      ...(preset?.params ?? []).map((p) =>
        field(
          `${p.label}${p.required ? ' *' : ''}`,
          p.choices
            ? select(
                `param.${p.key}`,
                [
                  /** @type {[string, string]} */ (['', '请选择']),
                  ...p.choices.map((c) => /** @type {[string, string]} */ ([c.value, c.label])),
                ],
                '',
              )
            : h('input', {
                name: `param.${p.key}`,
                type: p.secret ? 'password' : 'text',
                autocomplete: 'off',
                placeholder: p.example ?? '',
                dataset: { param: p.key },
              }),
          p.help,
        ),
      ),
    );
  }
  showParams();

  /** The form's values as the API's body. */
  function body() {
    /** @type {Record<string, string>} */
    const params = {};
    for (const el of fields.querySelectorAll('input, select')) {
      const input = /** @type {HTMLInputElement} */ (el);
      if (input.value.trim() !== '') params[input.name.slice('param.'.length)] = input.value.trim();
    }
    return { preset: presetSelect.value, params };
  }

  /** Marks each field the server named (`params.uid: …`) and clears the others. */
  function markErrors(message) {
    for (const old of fields.querySelectorAll('.field-error')) old.remove();
    for (const el of fields.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const part of message.split('; ')) {
      const m = /^params\.([\w-]+): (.*)$/.exec(part);
      const input = m ? fields.querySelector(`[name="param.${m[1]}"]`) : null;
      if (!m || !input) continue;
      input.setAttribute('aria-invalid', 'true');
      input.after(h('small', { class: 'field-error error-text', text: m[2] }));
    }
  }

  /** @param {boolean} dryRun */
  async function send(dryRun) {
    try {
      const res = await api('POST', '/api/sources/from-preset', { ...body(), dryRun });
      markErrors('');
      if (dryRun) {
        preview.hidden = false;
        preview.textContent = JSON.stringify(res.source, null, 2);
        toast('参数有效，可以添加');
      } else {
        toast('信源已添加');
        reload();
      }
    } catch (e) {
      if (e instanceof ApiError) markErrors(e.message);
      toast(e instanceof Error ? e.message : String(e), 'error');
    }
  }

  const form = h(
    'form',
    {
      class: 'stack',
      id: 'add-source-preset',
      on: {
        submit: (e) => {
          e.preventDefault();
          void send(false);
        },
      },
    },
    h('div', { class: 'filters' }, field('预设', presetSelect)),
    description,
    fields,
    h(
      'div',
      { class: 'row-actions' },
      h('button', { type: 'button', text: '检查', on: { click: () => void send(true) } }),
      h('button', { type: 'submit', class: 'primary', text: '按预设添加' }),
    ),
    preview,
  );
  return h('section', { class: 'card' }, h('h2', { text: '按预设添加信源' }), form);
}
