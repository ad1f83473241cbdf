/* The widget manager of a mentorkit page: ipywidgets' own models and views (base and
   controls, bundled in), their comms on the page's kernel, and the kernel's widgets
   restored in one request. */

import * as base from '@jupyter-widgets/base';
import { ManagerBase } from '@jupyter-widgets/base-manager';
import * as controls from '@jupyter-widgets/controls';
import { Widget } from '@lumino/widgets';

const CONTROL_TARGET = 'jupyter.widget.control';
const WIDGET_TARGET = 'jupyter.widget';
const MODULES = { '@jupyter-widgets/base': base, '@jupyter-widgets/controls': controls };

/* How long the kernel may take to send its widgets (a crowded laptop can take a while; the
   page says "Preparing your page…" meanwhile). */
export const STATES_PATIENCE_MS = 120000;

export class PageManager extends ManagerBase {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    kernel.onCommOpen = (comm, message) => {
      if (comm.target_name !== WIDGET_TARGET) return false;
      this.handle_comm_open(comm, message).catch((error) => {
        console.error('mentorkit: a widget from the kernel could not be made', error);
      });
      return true;
    };
  }

  async loadClass(className, moduleName) {
    const module = MODULES[moduleName];
    if (!module || !module[className]) {
      throw new Error(`This page cannot draw ${moduleName}.${className}`);
    }
    return module[className];
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) comm.open(data, undefined, metadata, buffers);
    return comm;
  }

  async _get_comm_info() {
    const reply = await this.kernel.request('comm_info_request', { target_name: WIDGET_TARGET });
    return reply.content.comms || {};
  }

  /* Every widget the kernel holds, asked for at once on ipywidgets' control comm (as
     ManagerBase._loadFromKernel does, without its four-second limit and its fallback, which
     never answers an ipywidgets 8 kernel). */
  async restore() {
    const control = await this._create_comm(CONTROL_TARGET, undefined, {}, { version: '1.0.0' });
    const lost = this.kernel.gone.then(() => {
      throw new Error('The connection to the kernel ended');
    });
    const asked = new Promise((resolve, reject) => {
      control.on_msg((msg) => {
        if (msg.content.data.method === 'update_states') resolve(msg);
      });
      control.on_close(() => reject(new Error('The kernel closed the widgets channel')));
      control.send({ method: 'request_states' }, {});
      setTimeout(() => reject(new Error('The kernel did not send its widgets')), STATES_PATIENCE_MS);
    });
    const message = await Promise.race([asked, lost]);
    control.close();
    const { states, buffer_paths: paths } = message.content.data;
    const grouped = {};
    paths.forEach(([id, ...path], i) => {
      grouped[id] = grouped[id] || { paths: [], buffers: [] };
      grouped[id].paths.push(path);
      grouped[id].buffers.push(message.buffers[i]);
    });
    await Promise.all(
      Object.entries(states).map(async ([id, state]) => {
        /* the paths start at the entry ("state", then the attribute), as ipywidgets sends them */
        if (grouped[id]) base.put_buffers(state, grouped[id].paths, grouped[id].buffers);
        if (this.has_model(id)) return;
        const comm = await this._create_comm(WIDGET_TARGET, id);
        try {
          await this.new_model(
            {
              model_name: state.model_name,
              model_module: state.model_module,
              model_module_version: state.model_module_version,
              model_id: id,
              comm,
            },
            state.state,
          );
        } catch (error) {
          console.error('mentorkit: a widget could not be restored', error);
        }
      }),
    );
  }

  /* Draws the widget `modelId` into `host`. */
  async draw(modelId, host) {
    const model = await this.get_model(modelId);
    const view = await this.create_view(model);
    Widget.attach(view.luminoWidget, host);
    return view;
  }
}
