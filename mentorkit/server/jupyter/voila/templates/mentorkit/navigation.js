/* mentorkit: a link from one app to another is followed inside this page, by its own kernel
   (no new page, no new kernel); the address bar, Back and Forward keep working. A link opened
   in a new tab, or any link while the page has lost its server, loads as usual.
   See mentorkit/apps/navigation.py. */
(() => {
  const APP = /^\/voila\/render\/[A-Za-z0-9_-]+\.ipynb$/;
  let asked = 0;

  const navigator = () => document.querySelector('.mk-navigator input');

  function go(address) {
    const box = navigator();
    if (!box || document.getElementById('mk-connection')) return false;
    /* Voila's own cells of the first page give way to the page the kernel draws */
    const own = box.closest('[cell-index]');
    document.querySelectorAll('#rendered_cells [cell-index]').forEach((cell) => {
      if (cell !== own) cell.hidden = true;
    });
    asked += 1;
    box.value = address + ' ' + asked; /* a new value each time, even for the same page */
    box.dispatchEvent(new Event('input', { bubbles: true }));
    retitle(own);
    window.scrollTo(0, 0);
    return true;
  }

  /* The tab's title follows the page drawn in place: its first heading, then the programme's
     name (as the server titles a page it serves). */
  let watching = null;
  function retitle(own) {
    if (watching) watching.disconnect();
    const programme = document.querySelector('.mk-site')?.dataset.programme || 'mentorkit';
    const before = own.querySelector('h1');
    watching = new MutationObserver(() => {
      const heading = own.querySelector('h1');
      if (heading && heading !== before && heading.textContent.trim()) {
        document.title = `${heading.textContent.trim()} · ${programme}`;
        watching.disconnect();
        watching = null;
      }
    });
    watching.observe(own, { childList: true, subtree: true });
  }

  document.addEventListener(
    'click',
    (event) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target.closest && event.target.closest('a[href]');
      if (!link || (link.target && link.target !== '_self') || link.hasAttribute('download')) {
        return;
      }
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || !APP.test(url.pathname)) return;
      const address = url.pathname + url.search;
      if (go(address)) {
        event.preventDefault();
        history.pushState({ mentorkit: address }, '', address);
      }
    },
    true,
  );

  addEventListener('popstate', () => {
    if (!go(location.pathname + location.search)) location.reload();
  });
})();
