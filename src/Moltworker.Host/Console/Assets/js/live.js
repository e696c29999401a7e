// The one WebSocket of the console (/api/ws): every event, live, and chat messages with their answers.
// A browser cannot send Authorization on a WebSocket, so each connection first takes a single-use ticket
// (POST /api/ws-ticket, with the key) and puts it in the URL. After a drop it reconnects with lastEventId, so
// nothing is missed, and sends again the chat messages still waiting (the same messageId is answered once).

import { api } from './api.js';
import { randomId } from './dom.js';

export class Live {
  #socket = null;
  #listeners = new Set();
  #stateListeners = new Set();
  #pending = new Map();
  #lastId = null;
  #retry = 0;
  #opened = null;
  state = 'offline';

  /** Calls fn(event) for every event from now on; returns the function that stops it. */
  onEvent(fn) {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Calls fn(state) when the connection goes 'live', 'connecting' or 'offline'. */
  onState(fn) {
    this.#stateListeners.add(fn);
    fn(this.state);
    return () => this.#stateListeners.delete(fn);
  }

  /** Connects (once); resolves when the socket is open. */
  connect() {
    this.#opened ??= this.#open().catch(error => {
      this.#opened = null;
      this.#setState('offline');
      this.#retryLater();
      throw error;
    });
    return this.#opened;
  }

  /** Sends a chat message; resolves with the answer message {text, taskId, isError}, rejects with a refusal. */
  chat(chatId, text, onAccepted) {
    const messageId = randomId('console-');
    const message = { type: 'chat', chatId, text, messageId };
    return new Promise((resolve, reject) => {
      this.#pending.set(messageId, { message, resolve, reject });
      onAccepted?.(messageId);
      this.#send(message);
    });
  }

  #send(message) {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #setState(state) {
    this.state = state;
    for (const fn of this.#stateListeners) fn(state);
  }

  async #open() {
    this.#setState('connecting');
    const { ticket } = await api('/api/ws-ticket', { method: 'POST' });
    const url = new URL('/api/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', ticket);
    if (this.#lastId !== null) url.searchParams.set('lastEventId', String(this.#lastId));
    const socket = new WebSocket(url);
    this.#socket = socket;
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', () => reject(new Error('the event socket did not open')), { once: true });
    });
    this.#retry = 0;
    this.#setState('live');
    socket.addEventListener('message', m => this.#receive(JSON.parse(m.data)));
    socket.addEventListener('close', () => this.#closed());
    for (const { message } of this.#pending.values()) this.#send(message);
  }

  #receive(message) {
    if (message.type === 'event') {
      this.#lastId = message.event.id;
      for (const fn of this.#listeners) fn(message.event);
    } else if (message.type === 'answer' || message.type === 'error') {
      const waiting = this.#pending.get(message.messageId);
      if (!waiting) return;
      this.#pending.delete(message.messageId);
      if (message.type === 'answer') waiting.resolve(message);
      else waiting.reject(new Error(message.detail ?? `refused (${message.status})`));
    }
  }

  #closed() {
    this.#socket = null;
    this.#opened = null;
    this.#setState('offline');
    this.#retryLater();
  }

  #retryLater() {
    const delay = Math.min(15000, 1000 * 2 ** this.#retry++);
    setTimeout(() => this.connect().catch(() => {}), delay);
  }
}
