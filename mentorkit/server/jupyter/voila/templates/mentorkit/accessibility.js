/* mentorkit: ties what the widgets draw to the words about them, for screen readers, the
   keyboard and narrow screens. ipywidgets has no way to say "this label is for that box", so
   the apps mark their parts with classes (mk-field, mk-label, mk-help, mk-field-message,
   mk-status, mk-table) and this script joins them up as they appear:
   - a field's label names its box (label for=…), or its group of choices (role=radiogroup);
     its help and its message describe it (aria-describedby); a required field says so;
   - rating and yes/no buttons (mk-choice-buttons) are radio buttons to assistive technology (role=radio,
     aria-checked following the chosen one);
   - a field's message and the form's "Saved" line are announced when they change;
   - each table cell knows its column's heading, which narrow screens show beside it. */
(() => {
  let made = 0;
  const idOf = (element) => element.id || (element.id = `mk-a11y-${++made}`);
  const ownBy = (field, element) => element.closest('.mk-field') === field;
  const CHOICES = 'input[type=radio], input[type=checkbox]';
  const named = (box) =>
    [...(box.labels || [])].some((l) => l.getClientRects().length && l.textContent.trim());

  function tieField(field) {
    const label = [...field.querySelectorAll('.mk-label')].find((e) => ownBy(field, e));
    if (!label) return;
    const labelId = idOf(label);
    const describers = [...field.querySelectorAll('.mk-help, .mk-field-message')]
      .filter((e) => ownBy(field, e))
      .map(idOf)
      .join(' ');
    const required = label.dataset.required === 'yes';
    const controls = [...field.querySelectorAll('input, textarea, select, button')].filter(
      (e) => ownBy(field, e) && e.type !== 'hidden',
    );
    /* ipywidgets gives each box a label of its own, hidden unless the app wrote one: the
       field's label names the field's one box that has none (a field made of several parts,
       a goal plan say, names its parts itself) */
    const unnamed = controls.filter(
      (e) => e.tagName !== 'BUTTON' && !e.matches(CHOICES) && !named(e),
    );
    if (unnamed.length === 1) {
      const box = unnamed[0];
      if (box.getAttribute('aria-labelledby') !== labelId) {
        label.htmlFor = idOf(box);
        box.setAttribute('aria-labelledby', labelId);
      }
      if (describers) box.setAttribute('aria-describedby', describers);
      if (required) box.setAttribute('aria-required', 'true');
    }
    field.querySelectorAll('.widget-radio-box, .mk-choice-buttons').forEach((group) => {
      if (!ownBy(field, group)) return;
      group.setAttribute('role', 'radiogroup');
      group.setAttribute('aria-labelledby', labelId);
      if (describers) group.setAttribute('aria-describedby', describers);
      if (required) group.setAttribute('aria-required', 'true');
      group.querySelectorAll('.widget-toggle-button').forEach((button) => {
        button.setAttribute('role', 'radio');
        button.setAttribute('aria-checked', button.classList.contains('mod-active'));
        watchChosen(button);
      });
    });
    const checks = controls.filter((e) => e.type === 'checkbox');
    if (checks.length > 1) {
      const group = checks[0].closest('.widget-vbox');
      if (group && ownBy(field, group)) {
        group.setAttribute('role', 'group');
        group.setAttribute('aria-labelledby', labelId);
      }
    }
  }

  const chosen = new MutationObserver((changes) => {
    for (const change of changes) {
      const button = change.target;
      button.setAttribute('aria-checked', button.classList.contains('mod-active'));
    }
  });
  const watched = new WeakSet();
  function watchChosen(button) {
    if (watched.has(button)) return;
    watched.add(button);
    chosen.observe(button, { attributes: true, attributeFilter: ['class'] });
  }

  function labelCells(table) {
    const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    if (!headings.length) return;
    table.querySelectorAll('tbody tr').forEach((row) => {
      [...row.children].forEach((cell, index) => {
        if (headings[index] && !cell.dataset.label) cell.dataset.label = headings[index];
      });
    });
  }

  /* a slider's handle is what the keyboard moves: it takes the slider's words */
  function nameSlider(slider) {
    const label = slider.querySelector('.widget-label');
    const handle = slider.querySelector('[role=slider]');
    if (label && handle && label.textContent.trim()) {
      handle.setAttribute('aria-labelledby', idOf(label));
    }
  }

  function tieAll(root) {
    root.querySelectorAll('.mk-field').forEach(tieField);
    root.querySelectorAll('.widget-slider').forEach(nameSlider);
    root.querySelectorAll('.mk-field-message').forEach((e) => e.setAttribute('aria-live', 'polite'));
    root.querySelectorAll('.mk-status').forEach((e) => e.setAttribute('role', 'status'));
    root.querySelectorAll('table.mk-table').forEach(labelCells);
  }

  let pending = false;
  const drawn = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      tieAll(document);
    });
  });
  document.addEventListener('DOMContentLoaded', () => {
    drawn.observe(document.body, { childList: true, subtree: true });
    tieAll(document);
  });
})();
