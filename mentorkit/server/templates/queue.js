// The "Preparing your page" page: ask the server every two seconds where this person is in
// the queue (which keeps their place), show it, and reload once the page is ready for them.
(function () {
  'use strict';
  const place = document.getElementById('queue');
  const page = place.dataset.page; // the address this page was asked for, as the server saw it
  async function ask() {
    try {
      const answer = await fetch(place.dataset.queue + '?page=' + encodeURIComponent(page), {
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (answer.status === 403) {
        location.reload(); // signed out meanwhile: the page itself says what to do
        return;
      }
      const state = await answer.json();
      if (state.ready) {
        location.reload();
        return;
      }
      if (state.text && place.textContent !== state.text) {
        place.textContent = state.text;
      }
    } catch (error) {
      // the server is busy or away for a moment: ask again
    }
    setTimeout(ask, 2000);
  }
  setTimeout(ask, 2000);
})();
