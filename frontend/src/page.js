/* mentorkit's page front-end: a served page's cells arrive already run (Voila ran them on the
   server); this script connects to the page's kernel, restores its widgets and draws them
   where the cells' outputs stand. It replaces Voila's own front-end (JupyterLab's renderers
   and extension loader, some 90 files), which a crowded laptop cannot afford for every page.
   The outputs mentorkit's notebooks make are widgets; a trainer's notebook may also show
   HTML (its scripts do not run), images (PNG, JPEG, SVG) and text (Markdown as its text);
   ipywidgets' Output widget is not drawn (mentorkit's pages do not use it). */

import '@jupyter-widgets/base/css/index.css';
import '@jupyter-widgets/controls/css/widgets-base.css';

import { Kernel } from './kernel.js';
import { PageManager } from './manager.js';

const OUTPUT = 'script[type="application/vnd.voila.cell-output+json"]';
const WIDGET = 'application/vnd.jupyter.widget-view+json';

function config() {
  const element = document.getElementById('jupyter-config-data');
  return element ? JSON.parse(element.textContent) : {};
}

function cookie(name) {
  const found = document.cookie.split('; ').find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : '';
}

function outputHost(script) {
  const host = document.createElement('div');
  host.className = 'jp-OutputArea-output';
  script.replaceWith(host);
  return host;
}

async function drawOutput(manager, script) {
  let output;
  try {
    output = JSON.parse(script.textContent);
  } catch (error) {
    return;
  }
  const data = output.data || {};
  const host = outputHost(script);
  if (data[WIDGET]) {
    try {
      await manager.draw(data[WIDGET].model_id, host);
    } catch (error) {
      console.error('mentorkit: a widget could not be drawn', error);
      host.textContent = 'Part of this page could not be drawn. Please reload the page.';
      host.className = 'mk-notice';
    }
  } else if (data['text/html'] !== undefined) {
    host.classList.add('jp-RenderedHTMLCommon');
    host.innerHTML = [].concat(data['text/html']).join('');
  } else if (data['image/svg+xml']) {
    const image = document.createElement('img'); /* an image, so that nothing in it runs */
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent([].concat(data['image/svg+xml']).join(''))}`;
    image.alt = [].concat(data['text/plain'] || '').join('');
    host.append(image);
  } else if (data['image/png'] || data['image/jpeg']) {
    const image = document.createElement('img');
    const type = data['image/png'] ? 'image/png' : 'image/jpeg';
    image.src = `data:${type};base64,${[].concat(data[type]).join('')}`;
    image.alt = [].concat(data['text/plain'] || '').join('');
    host.append(image);
  } else if (
    output.output_type === 'stream' ||
    data['text/markdown'] !== undefined ||
    data['text/plain'] !== undefined
  ) {
    /* Markdown shows as its text: the page carries no Markdown renderer */
    const text =
      output.output_type === 'stream' ? output.text : (data['text/markdown'] ?? data['text/plain']);
    const pre = document.createElement('pre');
    pre.textContent = [].concat(text).join('');
    host.append(pre);
  }
}

async function start() {
  const { baseUrl = '/', kernelId } = config();
  if (!kernelId) return;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const kernel = new Kernel(`${scheme}//${location.host}${baseUrl}api/kernels/${kernelId}/channels`);
  addEventListener('beforeunload', () => {
    /* the page is closing: its kernel is given back at once (the server also notices) */
    fetch(`${baseUrl}voila/api/shutdown/${kernelId}`, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      headers: { 'X-XSRFToken': cookie('_xsrf') },
    }).catch(() => {});
  });
  await kernel.connect();
  const manager = new PageManager(kernel);
  await manager.restore();
  await Promise.all([...document.querySelectorAll(OUTPUT)].map((script) => drawOutput(manager, script)));
}

/* The cells show once their widgets are drawn; if the page cannot reach its kernel, they
   show with a plain message (the page's connection check then says more, and reconnects). */
function cannotStart(error) {
  console.error('mentorkit: the page could not start', error);
  if (document.body.dataset.mkDrawn) return; /* the page has said so already */
  const notice = document.createElement('div');
  notice.className = 'mk-notice';
  notice.setAttribute('role', 'alert');
  notice.textContent =
    'This page could not reach the server to draw its form. Your saved work is safe. ' +
    'Please reload the page; if it happens again, tell your facilitator.';
  document.getElementById('rendered_cells')?.prepend(notice);
}

start()
  .catch(cannotStart)
  .finally(() => {
    window.voila_finish();
    document.body.dataset.mkDrawn = 'true';
  });
