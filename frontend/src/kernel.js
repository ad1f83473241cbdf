/* A page's line to its kernel: Jupyter's messaging protocol over the kernel's websocket,
   as much of it as widgets use (comms, and the replies and statuses that answer them).
   Messages with binary buffers travel in jupyter_server's binary framing. */

const PROTOCOL_VERSION = '5.3';

const uuid = () =>
  crypto.randomUUID ? crypto.randomUUID().replace(/-/g, '') : String(Math.random()).slice(2);

/* jupyter_server's binary framing: the count of parts, their offsets, the message as JSON,
   then each buffer. */
export function toFrame(message, buffers) {
  const json = new TextEncoder().encode(JSON.stringify(message));
  const parts = [json, ...buffers.map(asBytes)];
  const head = 4 * (parts.length + 1);
  const frame = new Uint8Array(head + parts.reduce((sum, part) => sum + part.byteLength, 0));
  const view = new DataView(frame.buffer);
  view.setUint32(0, parts.length);
  let offset = head;
  parts.forEach((part, i) => {
    view.setUint32(4 * (i + 1), offset);
    frame.set(part, offset);
    offset += part.byteLength;
  });
  return frame.buffer;
}

export function fromFrame(buffer) {
  const view = new DataView(buffer);
  const count = view.getUint32(0);
  const offsets = [];
  for (let i = 1; i <= count; i += 1) offsets.push(view.getUint32(4 * i));
  offsets.push(buffer.byteLength);
  const json = new TextDecoder().decode(new Uint8Array(buffer, offsets[0], offsets[1] - offsets[0]));
  const message = JSON.parse(json);
  message.buffers = offsets
    .slice(1, -1)
    .map((start, i) => new DataView(buffer.slice(start, offsets[i + 2])));
  return message;
}

function asBytes(buffer) {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/* One comm as widgets know it (the classic comm interface of @jupyter-widgets/base). */
class Comm {
  constructor(kernel, targetName, commId) {
    this.kernel = kernel;
    this.target_name = targetName;
    this.comm_id = commId;
    this._onMsg = null;
    this._onClose = null;
  }

  open(data, callbacks, metadata, buffers) {
    const content = { comm_id: this.comm_id, target_name: this.target_name, data: data || {} };
    return this.kernel.send('comm_open', content, callbacks, metadata, buffers);
  }

  send(data, callbacks, metadata, buffers) {
    return this.kernel.send('comm_msg', { comm_id: this.comm_id, data }, callbacks, metadata, buffers);
  }

  close(data, callbacks, metadata, buffers) {
    this.kernel.comms.delete(this.comm_id);
    return this.kernel.send('comm_close', { comm_id: this.comm_id, data: data || {} }, callbacks, metadata, buffers);
  }

  on_msg(callback) {
    this._onMsg = callback;
  }

  on_close(callback) {
    this._onClose = callback;
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
      const socket = new WebSocket(`${this.url}?session_id=${this.session}`);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => resolve(this);
      socket.onerror = () => reject(new Error('The page could not reach its kernel'));
      socket.onclose = () => {
        this.closed = true;
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
      channel: 'shell',
    };
    this.waiting.set(msgId, { callbacks: callbacks || {}, idle: false, replied: false });
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      if (buffers && buffers.length) {
        this.socket.send(toFrame({ ...message, buffers: [] }, buffers));
      } else {
        this.socket.send(JSON.stringify({ ...message, buffers: [] }));
      }
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
    const message = typeof data === 'string' ? JSON.parse(data) : fromFrame(data);
    message.buffers = message.buffers || [];
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

  opened(message) {
    const { comm_id: commId, target_name: target } = message.content;
    const comm = this.createComm(target, commId);
    if (this.onCommOpen) this.onCommOpen(comm, message);
  }

  commMessage(message) {
    const comm = this.comms.get(message.content.comm_id);
    if (comm && comm._onMsg) comm._onMsg(message);
  }

  commClosed(message) {
    const comm = this.comms.get(message.content.comm_id);
    if (!comm) return;
    this.comms.delete(comm.comm_id);
    if (comm._onClose) comm._onClose(message);
  }
}
