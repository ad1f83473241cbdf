/* A page's line to its kernel: Jupyter's messaging protocol over the kernel's websocket,
   as much of it as widgets use (comms, and the replies and statuses that answer them), in
   jupyter_server's "v1.kernel.websocket.jupyter.org" framing (the one Voila's own front-end
   speaks, and the one mentorkit's server reads to keep errors from the browser). */

export const SUBPROTOCOL = 'v1.kernel.websocket.jupyter.org';
const PROTOCOL_VERSION = '5.3';

export function uuid() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/* The v1 framing: the count of offsets and the offsets (8 bytes each, little-endian), then
   the channel's name, then the parts: header, parent header, metadata, content (JSON), and
   any buffers. */
export function toFrame(channel, message, buffers) {
  const encoder = new TextEncoder();
  const parts = [
    encoder.encode(channel),
    ...[message.header, message.parent_header, message.metadata, message.content].map((part) =>
      encoder.encode(JSON.stringify(part)),
    ),
    ...(buffers || []).map(asBytes),
  ];
  const count = parts.length + 1;
  const head = 8 * (count + 1);
  const frame = new Uint8Array(head + parts.reduce((sum, part) => sum + part.byteLength, 0));
  const view = new DataView(frame.buffer);
  view.setBigUint64(0, BigInt(count), true);
  let offset = head;
  view.setBigUint64(8, BigInt(offset), true);
  parts.forEach((part, i) => {
    frame.set(part, offset);
    offset += part.byteLength;
    view.setBigUint64(8 * (i + 2), BigInt(offset), true);
  });
  return frame.buffer;
}

export function fromFrame(buffer) {
  const view = new DataView(buffer);
  const count = Number(view.getBigUint64(0, true));
  const offsets = [];
  for (let i = 1; i <= count; i += 1) offsets.push(Number(view.getBigUint64(8 * i, true)));
  const slice = (i) => new Uint8Array(buffer, offsets[i], offsets[i + 1] - offsets[i]);
  const decoder = new TextDecoder();
  const json = (i) => JSON.parse(decoder.decode(slice(i)));
  const buffers = [];
  for (let i = 5; i < count - 1; i += 1) {
    buffers.push(new DataView(buffer.slice(offsets[i], offsets[i + 1])));
  }
  return {
    channel: decoder.decode(slice(0)),
    header: json(1),
    parent_header: json(2),
    metadata: json(3),
    content: json(4),
    buffers,
  };
}

function asBytes(buffer) {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/* One comm as widgets know it (the classic comm interface of @jupyter-widgets/base). A
   message or close that arrives before the widget has set its handler waits for it. */
class Comm {
  constructor(kernel, targetName, commId) {
    this.kernel = kernel;
    this.target_name = targetName;
    this.comm_id = commId;
    this._onMsg = null;
    this._onClose = null;
    this._held = [];
    this._closedBy = null;
  }

  open(data, callbacks, metadata, buffers) {
    const content = { comm_id: this.comm_id, target_name: this.target_name, data: data || {} };
    return this.kernel.send('comm_open', content, callbacks, metadata, buffers);
  }

  send(data, callbacks, metadata, buffers) {
    return this.kernel.send('comm_msg', { comm_id: this.comm_id, data }, callbacks, metadata, buffers);
  }

  close(data, callbacks, metadata, buffers) {
    const content = { comm_id: this.comm_id, data: data || {} };
    const msgId = this.kernel.send('comm_close', content, callbacks, metadata, buffers);
    this.closed({ header: { msg_id: msgId, msg_type: 'comm_close' }, content, buffers: [] });
    return msgId;
  }

  on_msg(callback) {
    this._onMsg = callback;
    this._held.splice(0).forEach((message) => callback(message));
  }

  on_close(callback) {
    this._onClose = callback;
    if (this._closedBy) callback(this._closedBy);
  }

  received(message) {
    if (this._onMsg) this._onMsg(message);
    else this._held.push(message);
  }

  closed(message) {
    this.kernel.comms.delete(this.comm_id);
    if (this._closedBy) return;
    this._closedBy = message;
    if (this._onClose) this._onClose(message);
  }
}

export class Kernel {
  /* The kernel of this page, reached at `url` (its channels websocket). */
  constructor(url) {
    this.url = url;
    this.session = uuid();
    this.comms = new Map();
    this.waiting = new Map(); /* msg_id -> { callbacks, reply } */
    this.socket = null;
    this.closed = false;
    this.onCommOpen = null;
    /* settles when the connection ends (the server or the kernel went away) */
    this.gone = new Promise((resolve) => {
      this._gone = resolve;
    });
  }

  connect() {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${this.url}?session_id=${this.session}`, [SUBPROTOCOL]);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => resolve(this);
      socket.onerror = () => reject(new Error('The page could not reach its kernel'));
      socket.onclose = () => {
        this.closed = true;
        this.waiting.clear(); /* no answer will come; the page says the connection is lost */
        this._gone();
        reject(new Error('The page could not reach its kernel'));
      };
      socket.onmessage = (event) => this.receive(event.data);
      this.socket = socket;
    });
  }

  createComm(targetName, commId) {
    const comm = new Comm(this, targetName, commId || uuid());
    this.comms.set(comm.comm_id, comm);
    return comm;
  }

  /* Sends a shell message; returns its id. `callbacks` as widgets give them: shell.reply,
     iopub.status. */
  send(msgType, content, callbacks, metadata, buffers) {
    const msgId = uuid();
    const message = {
      header: {
        msg_id: msgId,
        msg_type: msgType,
        session: this.session,
        username: '',
        date: new Date().toISOString(),
        version: PROTOCOL_VERSION,
      },
      parent_header: {},
      metadata: metadata || {},
      content,
    };
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.waiting.set(msgId, { callbacks: callbacks || {}, idle: false, replied: false });
      this.socket.send(toFrame('shell', message, buffers));
    }
    return msgId;
  }

  /* Sends a shell request and resolves with its reply. */
  request(msgType, content) {
    return new Promise((resolve) => {
      this.send(msgType, content, { shell: { reply: resolve } });
    });
  }

  receive(data) {
    const message = fromFrame(data);
    const parent = (message.parent_header || {}).msg_id;
    const waiting = parent && this.waiting.get(parent);
    const type = message.header.msg_type;
    if (message.channel === 'iopub') {
      if (type === 'comm_open') this.opened(message);
      else if (type === 'comm_msg') this.commMessage(message);
      else if (type === 'comm_close') this.commClosed(message);
      if (waiting) {
        const iopub = waiting.callbacks.iopub || {};
        if (type === 'status' && iopub.status) iopub.status(message);
        if (type === 'status' && message.content.execution_state === 'idle') {
          waiting.idle = true;
          this.settle(parent, waiting);
        }
      }
    } else if (message.channel === 'shell' && waiting) {
      const shell = waiting.callbacks.shell || {};
      if (shell.reply) shell.reply(message);
      waiting.replied = true;
      this.settle(parent, waiting);
    }
  }

  settle(msgId, waiting) {
    if (waiting.idle && (waiting.replied || !(waiting.callbacks.shell || {}).reply)) {
      this.waiting.delete(msgId);
    }
  }

  /* The kernel opened a comm: the page takes it if it knows its target (widgets), and
     closes it otherwise, as JupyterLab does. */
  opened(message) {
    const { comm_id: commId, target_name: target } = message.content;
    const comm = this.createComm(target, commId);
    if (!(this.onCommOpen && this.onCommOpen(comm, message))) comm.close();
  }

  commMessage(message) {
    const comm = this.comms.get(message.content.comm_id);
    if (comm) comm.received(message);
  }

  commClosed(message) {
    const comm = this.comms.get(message.content.comm_id);
    if (comm) comm.closed(message);
  }
}
