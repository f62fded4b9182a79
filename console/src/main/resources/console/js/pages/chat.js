// Chat: the conversations (new, rename, search, delete, newest first, paged) and one conversation with its answers
// streamed token by token, stop, regenerate, the model picker (price and context window; auto with its reason),
// the system prompt, Markdown answers, the history-cut notice, tokens and cost per message and in total, and how
// full the context window is.

import {h, replace, field, uid} from '../dom.js';
import {api, ApiError, serverSentEvents, StreamDropped} from '../api.js';
import {session} from '../session.js';
import {renderMarkdown, highlight} from '../markdown.js';
import {errorNotice} from '../errors.js';
import {count, usd, perMillion, compactTokens, percent} from '../format.js';

export const focusesItself = true;

const PAGE = 20;
const AUTO = 'auto';

let view = null; // the mounted page

export async function render(container, {params}) {
  view = new ChatView(container);
  await view.open(params.id ?? null);
  return () => {
    view?.destroy();
    view = null;
  };
}

/** Another conversation (or a new chat) in the mounted page: the sidebar stays. */
export function update({params}) {
  view?.open(params.id ?? null);
}

class ChatView {
  constructor(container) {
    this.container = container;
    this.conversation = null;
    this.messages = [];
    this.models = [];
    this.allowedModels = null;
    this.streaming = null;
    this.listCursor = null;
    this.query = '';
    this.build();
    this.modelsReady = Promise.all([
      session.models().then(models => {
        this.models = models;
      }).catch(() => {}),
      api.get('/api/v1/usage/me').then(usage => {
        this.allowedModels = usage.quota?.allowedModels ?? null;
      }).catch(() => {}),
    ]).then(() => this.renderModelPicker());
    this.loadConversations(true);
  }

  destroy() {
    this.destroyed = true;
    this.streaming?.abort?.abort();
  }

  // ---- the page's frame ----

  build() {
    const listId = uid('conversations');
    this.list = h('ul', {class: 'conversation-list', id: listId});
    this.more = h('button', {type: 'button', class: 'quiet', hidden: true, onclick: () => this.loadConversations(false)},
      'Load older conversations');
    this.search = h('input', {type: 'search', placeholder: 'Search titles', autocomplete: 'off',
      oninput: () => {
        clearTimeout(this.searchTimer);
        this.searchTimer = setTimeout(() => {
          this.query = this.search.value.trim();
          this.loadConversations(true);
        }, 250);
      }});
    this.sidebar = h('aside', {class: 'sidebar', 'aria-label': 'Conversations'},
      h('a', {class: 'button primary new-chat', href: '/chat'}, 'New chat'),
      h('form', {role: 'search', onsubmit: e => e.preventDefault()}, field('Search conversations', this.search)),
      this.list, this.more);

    this.title = h('h1', {id: uid('title')}, 'New chat');
    this.toggle = h('button', {type: 'button', class: 'quiet sidebar-toggle', 'aria-controls': listId, 'aria-expanded': 'false',
      onclick: () => {
        const open = this.page.classList.toggle('sidebar-open');
        this.toggle.setAttribute('aria-expanded', String(open));
      }}, 'Conversations');
    this.modelSelect = h('select', {name: 'model', onchange: () => this.changeModel()});
    this.modelInfo = h('p', {class: 'hint model-info', 'aria-live': 'polite'});
    this.systemPrompt = h('textarea', {rows: 3, name: 'systemPrompt', placeholder: 'e.g. Answer briefly, in British English.'});
    this.systemStatus = h('span', {class: 'hint', role: 'status'});
    this.systemDetails = h('details', {class: 'system-prompt'}, h('summary', {}, 'System prompt'),
      field('System prompt for this conversation', this.systemPrompt,
        'Sent before the conversation on every turn. Empty = none.'),
      h('button', {type: 'button', onclick: () => this.saveSystemPrompt()}, 'Save system prompt'), ' ', this.systemStatus);
    this.totals = h('p', {class: 'totals', 'data-testid': 'totals'});
    this.contextBar = h('div', {class: 'bar-fill'});
    this.contextMeter = h('div', {class: 'meter', role: 'meter', 'aria-label': 'Context window used',
      'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0'}, this.contextBar);
    this.contextText = h('span', {class: 'hint'});
    const header = h('header', {class: 'conversation-head'},
      h('div', {class: 'title-row'}, this.toggle, this.title),
      h('div', {class: 'controls'}, field('Model', this.modelSelect), this.modelInfo),
      this.systemDetails,
      h('div', {class: 'usage-row'}, this.totals,
        h('div', {class: 'context'}, h('span', {class: 'context-label'}, 'Context window'), this.contextMeter, this.contextText)));

    this.log = h('div', {class: 'messages', role: 'log', 'aria-label': 'Messages', 'aria-live': 'off'});
    this.live = h('p', {class: 'sr-only', role: 'status', 'aria-live': 'polite'});
    this.errors = h('div', {class: 'errors'});
    this.input = h('textarea', {rows: 3, name: 'message', placeholder: 'Send a message (Enter sends, Shift+Enter for a new line)',
      onkeydown: event => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.form.requestSubmit();
        }
      }});
    this.sendButton = h('button', {type: 'submit', class: 'primary'}, 'Send');
    this.stopButton = h('button', {type: 'button', class: 'danger', hidden: true, onclick: () => this.stop()}, 'Stop');
    this.regenerateButton = h('button', {type: 'button', hidden: true, onclick: () => this.regenerate()}, 'Regenerate');
    this.form = h('form', {class: 'composer', onsubmit: event => {
      event.preventDefault();
      this.send();
    }}, field('Message', this.input), h('div', {class: 'composer-actions'}, this.regenerateButton, this.stopButton, this.sendButton));

    this.main = h('section', {class: 'conversation', 'aria-labelledby': this.title.id},
      header, this.log, this.live, this.errors, this.form);
    this.page = h('div', {class: 'chat-page'}, this.sidebar, this.main);
    this.container.append(this.page);
  }

  // ---- the conversation list ----

  async loadConversations(fresh) {
    const params = new URLSearchParams({limit: String(PAGE)});
    if (this.query) params.set('q', this.query);
    if (!fresh && this.listCursor) params.set('cursor', this.listCursor);
    try {
      const page = await api.get(`/api/v1/conversations?${params}`);
      if (this.destroyed) return;
      if (fresh) this.list.replaceChildren();
      for (const c of page.data) this.list.append(this.conversationItem(c));
      if (fresh && page.data.length === 0) {
        this.list.append(h('li', {class: 'hint empty'}, this.query ? 'No conversation matches.' : 'No conversations yet.'));
      }
      this.listCursor = page.hasMore ? page.nextCursor : null;
      this.more.hidden = !page.hasMore;
      this.markCurrent();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) this.list.replaceChildren(h('li', {class: 'hint'}, e.message));
    }
  }

  conversationItem(c) {
    const title = c.title || 'Untitled';
    const link = h('a', {href: `/chat/${encodeURIComponent(c.id)}`, class: 'conversation-link'}, title);
    const item = h('li', {dataset: {id: c.id}}, link,
      h('span', {class: 'item-actions'},
        h('button', {type: 'button', class: 'quiet small', 'aria-label': `Rename ${title}`, onclick: () => this.rename(item, c)}, 'Rename'),
        h('button', {type: 'button', class: 'quiet small', 'aria-label': `Delete ${title}`, onclick: () => this.remove(c)}, 'Delete')));
    return item;
  }

  markCurrent() {
    for (const item of this.list.children) {
      const link = item.querySelector('a');
      if (!link) continue;
      if (this.conversation && item.dataset.id === this.conversation.id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  upsertListItem(c) {
    const existing = [...this.list.children].find(li => li.dataset.id === c.id);
    const fresh = this.conversationItem(c);
    this.list.querySelector('.empty')?.remove();
    if (existing) existing.replaceWith(fresh);
    else this.list.prepend(fresh);
    this.markCurrent();
  }

  rename(item, c) {
    const input = h('input', {type: 'text', value: c.title || '', maxlength: '200', 'aria-label': 'New title'});
    const cancel = () => item.replaceWith(this.conversationItem(c));
    const form = h('form', {class: 'rename', onsubmit: async event => {
      event.preventDefault();
      const title = input.value.trim();
      if (!title) return input.focus();
      try {
        const changed = await api.patch(`/api/v1/conversations/${encodeURIComponent(c.id)}`, {title});
        this.upsertListItem(changed);
        if (this.conversation?.id === c.id) this.setConversation(changed);
      } catch (e) {
        this.showError(e);
        cancel();
      }
    }}, input, h('button', {type: 'submit', class: 'small'}, 'Save'),
    h('button', {type: 'button', class: 'quiet small', onclick: cancel}, 'Cancel'));
    input.addEventListener('keydown', e => {
      if (e.key === 'Escape') cancel();
    });
    replace(item, form);
    input.focus();
    input.select();
  }

  async remove(c) {
    if (!confirm(`Delete the conversation "${c.title || 'Untitled'}" and all its messages? This cannot be undone.`)) return;
    try {
      await api.delete(`/api/v1/conversations/${encodeURIComponent(c.id)}`);
      [...this.list.children].find(li => li.dataset.id === c.id)?.remove();
      this.announce('Conversation deleted.');
      if (this.conversation?.id === c.id) {
        history.pushState(null, '', '/chat');
        this.open(null);
      }
    } catch (e) {
      this.showError(e);
    }
  }

  // ---- one conversation ----

  async open(id) {
    this.errors.replaceChildren();
    this.page.classList.remove('sidebar-open');
    this.toggle.setAttribute('aria-expanded', 'false');
    if (this.streaming && this.streaming.conversationId !== id) this.streaming.abort?.abort();
    this.messages = [];
    this.log.replaceChildren();
    if (!id) {
      this.setConversation(null);
      this.systemPrompt.value = session.settings.defaultSystemPrompt || '';
      this.log.append(h('p', {class: 'empty-chat hint'}, 'Ask anything. Answers appear as they are written.'));
      this.ready();
      return;
    }
    this.log.append(h('p', {class: 'hint'}, 'Loading the conversation…'));
    try {
      const detail = await api.get(`/api/v1/conversations/${encodeURIComponent(id)}?limit=100`);
      let messages = detail.messages.data;
      let cursor = detail.messages.hasMore ? detail.messages.nextCursor : null;
      while (cursor) {
        const page = await api.get(`/api/v1/conversations/${encodeURIComponent(id)}/messages?limit=100&cursor=${encodeURIComponent(cursor)}`);
        messages = messages.concat(page.data);
        cursor = page.hasMore ? page.nextCursor : null;
      }
      if (this.destroyed) return;
      this.setConversation(detail);
      this.systemPrompt.value = detail.systemPrompt || '';
      this.messages = messages;
      this.log.replaceChildren();
      for (const m of messages) this.log.append(this.messageView(m).element);
      for (const el of this.log.querySelectorAll('.content')) highlight(el);
      this.refreshTotals();
      this.scrollToEnd();
      this.ready();
    } catch (e) {
      this.log.replaceChildren();
      if (e instanceof ApiError && e.status === 404) {
        this.setConversation(null);
        this.log.append(h('p', {class: 'alert', role: 'alert'}, 'This conversation does not exist, or it has been deleted. ',
          h('a', {href: '/chat'}, 'Start a new chat')));
      } else {
        this.showError(e);
      }
    }
  }

  ready() {
    this.updateButtons();
    if (!this.readyMarked) {
      this.readyMarked = true;
      performance.mark('chat-interactive');
    }
    this.input.focus({preventScroll: true});
  }

  setConversation(c) {
    this.conversation = c;
    this.title.textContent = c ? (c.title || 'Untitled') : 'New chat';
    document.title = `${this.title.textContent} · Chat platform`;
    this.renderModelPicker();
    this.markCurrent();
    this.refreshTotals();
  }

  selectedModel() {
    return this.conversation?.model || this.modelSelect.value || session.settings.defaultModel || null;
  }

  renderModelPicker() {
    const current = this.conversation?.model || this.modelSelect.value || session.settings.defaultModel || this.models[0]?.id || '';
    const options = this.models.map(m => {
      const allowed = this.isAllowed(m.id);
      return h('option', {value: m.id, selected: m.id === current},
        `${m.id} · ${perMillion(m.pricing?.input_micro_usd_per_million)} in / ${perMillion(m.pricing?.output_micro_usd_per_million)} out per M tokens · ${compactTokens(m.context_window)} context${allowed ? '' : ' · not in your plan'}`);
    });
    options.push(h('option', {value: AUTO, selected: current === AUTO},
      `auto · picks the cheapest model that fits${this.isAllowed(AUTO) ? '' : ' · not in your plan'}`));
    if (current && !this.models.some(m => m.id === current) && current !== AUTO) {
      options.unshift(h('option', {value: current, selected: true}, current));
    }
    replace(this.modelSelect, options);
    this.describeModel();
  }

  isAllowed(model) {
    return !this.allowedModels || this.allowedModels.includes('*') || this.allowedModels.includes(model);
  }

  describeModel() {
    const id = this.modelSelect.value;
    const m = this.models.find(x => x.id === id);
    if (id === AUTO) {
      this.modelInfo.textContent = 'auto chooses, for each message, the cheapest model your plan allows that fits it; each answer says which and why.';
    } else if (m) {
      this.modelInfo.textContent = `${m.id} by ${m.owned_by}: ${perMillion(m.pricing?.input_micro_usd_per_million)} per million input tokens, `
        + `${perMillion(m.pricing?.output_micro_usd_per_million)} per million output tokens; context window ${count(m.context_window)} tokens.`;
    } else {
      this.modelInfo.textContent = '';
    }
    this.refreshTotals();
  }

  async changeModel() {
    this.describeModel();
    if (!this.conversation) return;
    const model = this.modelSelect.value;
    try {
      const changed = await api.patch(`/api/v1/conversations/${encodeURIComponent(this.conversation.id)}`, {model});
      this.conversation = changed;
      this.announce(`Model changed to ${model}.`);
    } catch (e) {
      this.showError(e);
    }
  }

  async saveSystemPrompt() {
    const systemPrompt = this.systemPrompt.value;
    if (!this.conversation) {
      this.systemStatus.textContent = 'Used when you send the first message.';
      return;
    }
    try {
      this.conversation = await api.patch(`/api/v1/conversations/${encodeURIComponent(this.conversation.id)}`, {systemPrompt});
      this.systemStatus.textContent = 'Saved.';
    } catch (e) {
      this.showError(e);
    }
  }

  // ---- messages ----

  messageView(m) {
    const content = h('div', {class: 'content markdown'});
    const meta = h('p', {class: 'meta'});
    const notes = h('div', {class: 'notes'});
    const isUser = m.role === 'user';
    const element = h('article', {class: `message ${m.role}`, dataset: {id: m.id || '', status: m.status || ''},
      'aria-label': isUser ? 'You' : 'Assistant'},
    h('p', {class: 'role'}, isUser ? 'You' : 'Assistant'), content, notes, meta);
    const view = {element, content, meta, notes, message: m};
    if (isUser) content.textContent = m.content;
    else renderMarkdown(content, m.content || '');
    this.describeMessage(view);
    return view;
  }

  /** The meta line and notes of a message from its stored fields. */
  describeMessage(view) {
    const m = view.message;
    view.element.dataset.id = m.id || '';
    view.element.dataset.status = m.status || '';
    const parts = [];
    if (m.role === 'user') {
      if (m.inputTokens !== null && m.inputTokens !== undefined) parts.push(`${count(m.inputTokens)} tokens`);
    } else {
      const model = m.autoModel ? `${m.model} → ${m.autoModel}` : m.model;
      if (model) parts.push(model);
      if (m.inputTokens !== null && m.inputTokens !== undefined) {
        parts.push(`${count(m.inputTokens)} in · ${count(m.outputTokens)} out tokens`);
      }
      if (session.settings.showCost && m.costMicroUsd !== null && m.costMicroUsd !== undefined) parts.push(usd(m.costMicroUsd));
      if (m.latencyMs) parts.push(`${(m.latencyMs / 1000).toFixed(1)} s`);
    }
    view.meta.textContent = parts.join(' · ');
    const notes = [];
    if (m.autoReason) notes.push(h('p', {class: 'note'}, `auto chose ${m.autoModel}: ${m.autoReason}`));
    if (m.historyTruncated) {
      notes.push(h('p', {class: 'note warn'}, `Earlier messages (${m.droppedMessages}) were left out so the conversation fits the model's context window.`));
    }
    if (m.status === 'stopped') notes.push(h('p', {class: 'note', 'data-testid': 'stopped'}, 'Stopped. The answer above is what was written until then.'));
    if (m.status === 'failed') notes.push(h('p', {class: 'note warn'}, 'The model failed in the middle of this answer; what it wrote is kept.'));
    if (view.dropped) notes.push(h('p', {class: 'note warn', 'data-testid': 'dropped'}, 'The connection dropped before the answer was complete. The part that arrived is kept.'));
    replace(view.notes, notes);
  }

  refreshTotals() {
    const answers = this.messages.filter(m => m.role === 'assistant' && m.inputTokens !== null && m.inputTokens !== undefined);
    const input = answers.reduce((s, m) => s + (m.inputTokens || 0), 0);
    const output = answers.reduce((s, m) => s + (m.outputTokens || 0), 0);
    const cost = answers.reduce((s, m) => s + (m.costMicroUsd || 0), 0);
    if (!this.conversation || answers.length === 0) {
      this.totals.textContent = 'No answers yet.';
    } else {
      this.totals.textContent = `This conversation: ${answers.length} answer${answers.length === 1 ? '' : 's'}, `
        + `${count(input + output)} tokens (${count(input)} in, ${count(output)} out)`
        + (session.settings.showCost ? `, ${usd(cost)}` : '');
    }
    const model = this.models.find(x => x.id === (this.messages.at(-1)?.autoModel || this.selectedModel()));
    const window = model?.context_window;
    const last = answers.at(-1);
    const used = last ? (last.inputTokens || 0) + (last.outputTokens || 0) : 0;
    const pct = window ? percent(used, window) : 0;
    this.contextBar.style.width = `${pct}%`;
    this.contextMeter.setAttribute('aria-valuenow', String(pct));
    this.contextMeter.setAttribute('aria-valuetext', window ? `${pct} % of ${count(window)} tokens` : 'unknown');
    this.contextMeter.dataset.level = pct >= 90 ? 'red' : pct >= 80 ? 'amber' : 'ok';
    this.contextText.textContent = window ? `${count(used)} of ${count(window)} tokens (${pct} %)` : '';
  }

  updateButtons() {
    const busy = Boolean(this.streaming);
    this.sendButton.hidden = busy;
    this.stopButton.hidden = !busy;
    const last = this.messages.at(-1);
    this.regenerateButton.hidden = busy || !last || last.role !== 'assistant';
    this.log.setAttribute('aria-busy', String(busy));
  }

  // ---- a turn ----

  async send() {
    const text = this.input.value;
    if (!text.trim() || this.streaming) return;
    this.errors.replaceChildren();
    if (!this.conversation) {
      try {
        const model = this.modelSelect.value || undefined;
        const systemPrompt = this.systemPrompt.value.trim() ? this.systemPrompt.value : undefined;
        const created = await api.post('/api/v1/conversations', {model, systemPrompt});
        history.replaceState(null, '', `/chat/${encodeURIComponent(created.id)}`);
        this.log.replaceChildren();
        this.setConversation(created);
        this.upsertListItem(created);
      } catch (e) {
        this.showError(e);
        return;
      }
    }
    this.input.value = '';
    const user = this.messageView({role: 'user', content: text, status: 'completed'});
    this.log.append(user.element);
    this.messages.push(user.message);
    await this.turn(`/api/v1/conversations/${encodeURIComponent(this.conversation.id)}/messages`, {content: text, stream: true},
      {user, restore: text});
  }

  async regenerate() {
    if (this.streaming || !this.conversation) return;
    this.errors.replaceChildren();
    const previous = this.log.querySelector('.message.assistant:last-of-type');
    await this.turn(`/api/v1/conversations/${encodeURIComponent(this.conversation.id)}/regenerate`, {stream: true},
      {replaces: previous});
  }

  async stop() {
    if (!this.streaming || !this.conversation) return;
    this.stopButton.disabled = true;
    try {
      await api.post(`/api/v1/conversations/${encodeURIComponent(this.conversation.id)}/stop`);
      this.announce('Stopping…');
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'no_active_generation')) this.showError(e);
    } finally {
      this.stopButton.disabled = false;
    }
  }

  /**
   * Sends one turn and paints its answer as it streams: every content delta is rendered the moment its bytes are
   * read (no timer, no batching). The page keeps what arrived when the stream breaks.
   */
  async turn(path, body, {user = null, restore = null, replaces = null}) {
    const conversationId = this.conversation.id;
    const abort = new AbortController();
    this.streaming = {conversationId, abort};
    this.updateButtons();
    const answer = this.messageView({role: 'assistant', content: '', status: 'generating', model: this.selectedModel()});
    answer.element.classList.add('generating');
    this.log.append(answer.element);
    this.scrollToEnd();
    this.announce('Writing the answer…');
    let response;
    try {
      response = await api.raw('POST', path, {body, accept: 'text/event-stream', signal: abort.signal});
    } catch (e) {
      answer.element.remove();
      if (user) {
        user.element.remove();
        this.messages.pop();
        if (!this.input.value) this.input.value = restore;
      }
      this.streaming = null;
      this.updateButtons();
      if (e.name !== 'AbortError') this.showError(e);
      return;
    }
    if (replaces) {
      replaces.remove();
      this.messages = this.messages.filter(m => m.id !== replaces.dataset.id);
    }
    const answerId = response.headers.get('X-Assistant-Message-Id');
    if (user) {
      user.message.id = response.headers.get('X-User-Message-Id');
      user.element.dataset.id = user.message.id;
    }
    Object.assign(answer.message, {id: answerId, historyTruncated: response.headers.get('X-History-Truncated') === 'true',
      droppedMessages: Number(response.headers.get('X-History-Dropped-Messages') || 0)});
    this.messages.push(answer.message);
    this.describeMessage(answer);
    performance.clearMeasures('token-to-frame');
    let text = '';
    let final = null;
    try {
      for await (const event of serverSentEvents(response)) {
        const arrived = performance.now();
        if (event.error) {
          final = event.x_conversation ?? null;
          answer.notes.append(h('p', {class: 'note warn'}, event.error.message));
          break;
        }
        if (event.x_conversation) {
          final = event.x_conversation;
          Object.assign(answer.message, {inputTokens: event.usage?.prompt_tokens ?? null, outputTokens: event.usage?.completion_tokens ?? null,
            cachedInputTokens: event.usage?.prompt_tokens_details?.cached_tokens ?? 0});
          continue;
        }
        const delta = event.choices?.[0]?.delta?.content;
        if (delta) {
          text += delta;
          renderMarkdown(answer.content, text);
          requestAnimationFrame(() => performance.measure('token-to-frame', {start: arrived, end: performance.now()}));
          this.scrollToEnd();
        }
      }
    } catch (e) {
      if (e instanceof StreamDropped || e.name === 'AbortError' || e.name === 'TypeError') {
        answer.dropped = e.name !== 'AbortError';
      } else {
        throw e;
      }
    } finally {
      this.streaming = null;
    }
    answer.message.content = text;
    if (final) {
      Object.assign(answer.message, {status: final.status, finishReason: final.finishReason, costMicroUsd: final.costMicroUsd,
        autoModel: final.autoModel ?? null, autoReason: final.autoReason ?? null});
      if (final.title && this.conversation?.id === conversationId && final.title !== this.conversation.title) {
        this.setConversation({...this.conversation, title: final.title});
        this.upsertListItem(this.conversation);
      }
    } else {
      answer.message.status = answer.dropped ? 'generating' : answer.message.status;
    }
    answer.element.classList.remove('generating');
    highlight(answer.content);
    this.describeMessage(answer);
    this.updateButtons();
    this.announce(answer.dropped ? 'The connection dropped; the partial answer is kept.'
      : final?.status === 'stopped' ? 'Answer stopped.' : 'Answer complete.');
    if (this.conversation?.id === conversationId) await this.refreshStored(conversationId);
  }

  /** After a turn: the stored numbers (the user message's tokens, the answer's latency) from the API. */
  async refreshStored(conversationId) {
    try {
      const detail = await api.get(`/api/v1/conversations/${encodeURIComponent(conversationId)}?limit=100`);
      if (this.destroyed || this.conversation?.id !== conversationId || detail.messages.hasMore) {
        this.refreshTotals();
        return;
      }
      const stored = new Map(detail.messages.data.map(m => [m.id, m]));
      for (const element of this.log.querySelectorAll('.message')) {
        const m = stored.get(element.dataset.id);
        if (!m) continue;
        const meta = element.querySelector('.meta');
        const notes = element.querySelector('.notes');
        const dropped = element.querySelector('[data-testid="dropped"]') !== null;
        this.describeMessage({element, meta, notes, message: m, dropped});
      }
      this.messages = detail.messages.data;
      this.refreshTotals();
      this.updateButtons();
    } catch {
      this.refreshTotals();
    }
  }

  // ---- helpers ----

  showError(error) {
    replace(this.errors, errorNotice(error));
  }

  announce(text) {
    this.live.textContent = text;
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
