/* mentorkit: ties what the widgets draw to the words about them, for screen readers, the
   keyboard and narrow screens. ipywidgets has no way to say "this label is for that box", so
   the apps mark their parts with classes (mk-field, mk-label, mk-help, mk-field-message,
   mk-status, mk-table) and this script joins them up as they appear:
   - a field's label names its box (label for=…); a field of several parts is a group named
     by its label (role=group, or radiogroup for one choice); its help and its message
     describe it (aria-describedby); a required field says so;
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
    if (!controls.length) return; /* shown, not asked */
    /* ipywidgets gives each box a label of its own, hidden unless the app wrote one: the
       field's label names the field's one box that has none (a field made of several parts,
       a goal plan say, names its parts itself; a box beside choices, "Other" or "Add your
       own", keeps its own words) */
    const choiceBoxes = [...field.querySelectorAll('.widget-radio-box, .mk-choice-buttons')]
      .filter((e) => ownBy(field, e));
    const hasChoices = choiceBoxes.length > 0 || controls.some((e) => e.matches(CHOICES));
    const ours = (e) => e.getAttribute('aria-labelledby') === labelId; /* tied before */
    const unnamed = controls.filter(
      (e) => e.tagName !== 'BUTTON' && !e.matches(CHOICES) && (ours(e) || !named(e)),
    );
    if (!hasChoices && unnamed.length === 1) {
      const box = unnamed[0];
      if (!ours(box)) {
        label.htmlFor = idOf(box);
        box.setAttribute('aria-labelledby', labelId);
      }
      if (describers) box.setAttribute('aria-describedby', describers);
      if (required) box.setAttribute('aria-required', 'true');
      if (controls.length === 1) return;
    }
    /* anything more than one box is a group named by the label, as a fieldset by its legend:
       a radiogroup when it offers one choice (radios, or rating and yes/no buttons) */
    const oneChoice = choiceBoxes.length > 0 || controls.some((e) => e.type === 'radio');
    field.setAttribute('role', oneChoice ? 'radiogroup' : 'group');
    field.setAttribute('aria-labelledby', labelId);
    if (describers) field.setAttribute('aria-describedby', describers);
    if (required && oneChoice) field.setAttribute('aria-required', 'true');
    choiceBoxes.forEach((group) => {
      group.querySelectorAll('.widget-toggle-button').forEach((button) => {
        button.setAttribute('role', 'radio');
        button.setAttribute('aria-checked', button.classList.contains('mod-active'));
        watchChosen(button);
      });
    });
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
