// Replay of a finished task: a scrubber over the task's time, play/pause and speed. The waterfall is drawn as the
// task stood at the scrubber's time.

import { h, fill, duration } from './dom.js';
import { parseAt } from './timeline.js';

const SPEEDS = [0.25, 0.5, 1, 2, 5, 10];

export class Replay {
  #events;
  #t0;
  #span;
  #position;
  #speed = 1;
  #frame = null;
  #onChange;
  #scrubber;
  #playButton;
  #readout;

  /** `onChange(until)` redraws the task as it stood at `until` (ms on the host's clock). */
  constructor(container, events, onChange) {
    this.#events = events;
    this.#t0 = parseAt(events[0].at);
    this.#span = Math.max(parseAt(events[events.length - 1].at) - this.#t0, 1);
    this.#position = this.#span;
    this.#onChange = onChange;
    this.#scrubber = h('input.replay-scrubber', {
      type: 'range', min: '0', max: String(Math.ceil(this.#span)), step: 'any', value: String(this.#span), 'aria-label': 'Replay position',
      oninput: () => { this.pause(); this.#seek(Number(this.#scrubber.value)); },
    });
    this.#playButton = h('button.replay-play', { type: 'button', onclick: () => (this.#frame ? this.pause() : this.play()) }, 'Play');
    const speed = h('select.replay-speed', { 'aria-label': 'Replay speed', onchange: () => { this.#speed = Number(speed.value); } },
      SPEEDS.map(s => h('option', { value: String(s), selected: s === 1 }, `${s}×`)));
    this.#readout = h('span.replay-readout');
    fill(container, h('div.replay', {}, this.#playButton, this.#scrubber, speed, this.#readout));
    this.#seek(this.#span);
  }

  play() {
    if (this.#position >= this.#span) this.#seek(0);
    this.#playButton.textContent = 'Pause';
    let last = performance.now();
    const step = now => {
      this.#seek(Math.min(this.#span, this.#position + (now - last) * this.#speed));
      last = now;
      if (this.#position >= this.#span) this.pause();
      else this.#frame = requestAnimationFrame(step);
    };
    this.#frame = requestAnimationFrame(step);
  }

  pause() {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = null;
    this.#playButton.textContent = 'Play';
  }

  stop() { this.pause(); }

  #seek(position) {
    this.#position = Math.max(0, Math.min(this.#span, position));
    this.#scrubber.value = String(this.#position);
    const until = this.#t0 + this.#position;
    const shown = this.#events.filter(e => parseAt(e.at) <= until).length;
    this.#readout.textContent = `${duration(this.#position)} / ${duration(this.#span)} · ${shown}/${this.#events.length} events`;
    this.#readout.dataset.shown = String(shown);
    this.#readout.dataset.total = String(this.#events.length);
    this.#onChange(until);
  }
}
