/* mentorkit: when a page loses its server or its kernel, say so at once, keep what was typed
   (in this tab only), and once the server answers again reload the page and put the text
   back, where the page saves it. See mentorkit/server/presence.py. */
(() => {
  const KEY = 'mentorkit-kept:' + location.pathname + location.search;
  const CHECK_EVERY_MS = 4000;
  const LOST = 'Connection lost — your text is kept; reconnecting…';
  const SIGNED_OUT = /* as mentorkit/apps/common.py says it */
    'Your session has ended (you signed out, or your access code was changed or withdrawn), ' +
    'so this page has stopped: nothing more is saved or shown here. Anything you saved is ' +
    'safe. Sign in again with your access code to carry on.';
  let lost = false;
  let leaving = false;
  const touched = new WeakSet(); /* the boxes this person typed in, on this page */
  let who = null;
  let banner = null;

  const boxes = () => [
    ...document.querySelectorAll('#rendered_cells textarea, #rendered_cells input[type=text]'),
  ];
  const kernelId = () => {
    const config = document.getElementById('jupyter-config-data');
    try {
      return config ? JSON.parse(config.textContent).kernelId : null;
    } catch (error) {
      return null;
    }
  };

  function say(text, calm) {
    if (!banner) {
      banner = document.createElement('div');
      banner.id = 'mk-connection';
      banner.setAttribute('role', 'alert');
      banner.style.cssText =
        'position:fixed;top:0;left:0;right:0;z-index:10000;padding:.75em 1em;' +
        'font:16px/1.4 system-ui,sans-serif;text-align:center;border-bottom:2px solid';
      document.body.prepend(banner);
    }
    banner.style.background = calm ? '#e6f4ea' : '#fff4e5';
    banner.style.color = calm ? '#0b5d1e' : '#5c3c00';
    banner.style.borderColor = calm ? '#0b5d1e' : '#b26a00';
    banner.textContent = text;
    banner.hidden = false;
  }

  function keep() {
    if (who === null) return;
    const all = boxes();
    const kept = {};
    all.forEach((box, i) => {
      if (touched.has(box)) kept[i] = box.value;
    });
    if (Object.keys(kept).length) {
      sessionStorage.setItem(KEY, JSON.stringify({ who, count: all.length, kept }));
    }
  }

  /* The site's base URL ("/", or the prefix behind JupyterHub), from the page's body. */
  function siteBase() {
    const voila = (document.body && document.body.dataset.baseUrl) || '/voila/';
    return voila.replace(/voila\/$/, '');
  }

  async function ask() {
    const id = kernelId();
    if (!id) return 'alive';
    try {
      const answer = await fetch(siteBase() + 'mentorkit/page-state/' + encodeURIComponent(id), {
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (answer.status === 403) return 'signed-out';
      if (!answer.ok) return 'down';
      const state = await answer.json();
      who = state.who;
      return state.state;
    } catch (error) {
      return 'down';
    }
  }

  /* The session ended (signed out in another tab, or the code withdrawn). The page's kernel
     says so itself within two seconds, but it may be gone already (the server gives back the
     kernels of ended sessions) or too busy to answer: then the page says it, and its form goes. */
  let signedOut = false;
  function sayPageStopped() {
    if (signedOut) return;
    signedOut = true;
    const cells = document.getElementById('rendered_cells') || document.body;
    const notice = document.createElement('div');
    notice.className = 'mk-notice';
    notice.setAttribute('role', 'alert');
    notice.style.cssText =
      'margin:1rem;padding:.6rem .9rem;background:#fdecea;border-left:4px solid #b3261e;' +
      'font:16px/1.5 system-ui,sans-serif;color:#1f1f1f';
    const title = document.createElement('b');
    title.textContent = 'You have been signed out';
    const link = document.createElement('a');
    link.href = siteBase() + 'signin';
    link.textContent = 'Sign in again';
    notice.append(title, document.createElement('br'), SIGNED_OUT + ' ', link, '.');
    cells.replaceChildren(notice);
    if (banner) banner.hidden = true;
  }

  async function check() {
    if (leaving || signedOut) return;
    const state = await ask();
    if (leaving) return;
    if (state === 'signed-out') {
      sayPageStopped();
      return;
    }
    if (state === 'alive' && !lost) return;
    keep();
    if (!lost) {
      lost = true;
      say(LOST, false);
    }
    if (state === 'alive' || state === 'gone') {
      /* the server answers: a fresh page, where the kept text is put back */
      leaving = true;
      setTimeout(() => location.reload(), 500);
    }
  }

  function putBack() {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return;
    const record = JSON.parse(raw);
    if (record.who !== who) return; /* typed by someone else in this tab: never shown */
    const now = boxes();
    sessionStorage.removeItem(KEY);
    if (now.length !== record.count) {
      say('The page changed while it was away. Here is the text you had typed, to copy:', false);
      const copy = document.createElement('textarea');
      copy.readOnly = true;
      copy.setAttribute('aria-label', 'The text you had typed');
      copy.style.cssText = 'display:block;width:100%;min-height:6em;margin-top:.5em';
      copy.value = Object.values(record.kept).join('\n\n');
      banner.append(copy);
      return;
    }
    let back = 0;
    Object.entries(record.kept).forEach(([i, value]) => {
      const box = now[Number(i)];
      if (box.value !== value) {
        box.value = value;
        touched.add(box);
        box.dispatchEvent(new Event('input', { bubbles: true }));
        box.dispatchEvent(new Event('change', { bubbles: true }));
        back += 1;
      }
    });
    if (back) {
      say('Connected again. The text you typed is back in its boxes and is being saved.', true);
      setTimeout(() => banner && (banner.hidden = true), 10000);
    }
  }

  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/api/kernels/')) {
        this.addEventListener('close', () => setTimeout(check, 300));
      }
    }
  };

  addEventListener('beforeunload', () => {
    leaving = true;
  });
  document.addEventListener(
    'input',
    (event) => {
      touched.add(event.target);
      if (lost) keep();
    },
    true,
  );
  /* A page that arrived whole but without its app (the cell's output lost on the way while
     the machine was crowded) is asked for again, twice at most: nobody is left on a page
     without its form. */
  const RETRIES = 'mentorkit-retries:' + location.pathname + location.search;
  const OUTPUT = 'script[type="application/vnd.voila.cell-output+json"]';
  let delivered = true; /* read when the HTML has arrived, before the page's scripts use it */
  document.addEventListener('DOMContentLoaded', () => {
    delivered = document.querySelector(OUTPUT) !== null;
  });
  function retryIfBlank() {
    if (leaving || delivered) {
      sessionStorage.removeItem(RETRIES);
      return;
    }
    const tries = Number(sessionStorage.getItem(RETRIES) || 0);
    if (tries >= 2) {
      say('This page could not be drawn. Please reload it; if it happens again, tell your facilitator.', false);
      sessionStorage.removeItem(RETRIES);
      return;
    }
    sessionStorage.setItem(RETRIES, String(tries + 1));
    say('This page is taking a moment — asking for it again…', false);
    leaving = true;
    setTimeout(() => location.reload(), 500);
  }

  addEventListener('load', () => {
    setTimeout(retryIfBlank, 1000);
    const started = Date.now();
    const wait = setInterval(async () => {
      const status = document.querySelector('.mk-status');
      const drawn =
        document.querySelector('#rendered_cells .jupyter-widgets') &&
        (!status || status.textContent.trim());
      if (!(kernelId() && drawn) && Date.now() - started < 120000) return;
      clearInterval(wait);
      if ((await ask()) === 'alive') putBack();
      setInterval(check, CHECK_EVERY_MS);
    }, 200);
  });
})();
