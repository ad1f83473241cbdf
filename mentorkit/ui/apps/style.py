"""The look of the apps: one small stylesheet, shown once per page."""

from __future__ import annotations

import ipywidgets as w

CSS = """
<style>
.mk-page { max-width: 52rem; margin: 0 auto; font-size: 15px; line-height: 1.5; }
.mk-page h1, .mk-page h2 { font-weight: 600; margin: 0.4rem 0; color: var(--mk-accent, #1f5f8b); }
.mk-page a, .mk-page a:link, .mk-page a:visited {  /* over JupyterLab's plain links */
  color: var(--mk-accent, #1f5f8b) !important; text-decoration: underline !important; }
.mk-page textarea, .mk-page input[type=text], .mk-page input[type=number] {
  font-family: inherit; font-size: 1em; }
.mk-page .jupyter-button, .mk-page .widget-button {
  width: auto; max-width: 100%; height: auto; min-height: 2rem; white-space: normal;
  overflow: visible; text-overflow: clip; line-height: 1.3; padding: 0.3rem 0.8rem; }
.mk-page .widget-toggle-button.mod-active {
  background: var(--mk-accent, #1f5f8b); color: #fff; font-weight: 600;
  box-shadow: inset 0 0 0 2px #000; }
.mk-header { border-bottom: 3px solid var(--mk-accent, #1f5f8b); padding-bottom: 0.3rem; }
.mk-programme-title { font-weight: 600; color: var(--mk-accent, #1f5f8b); }
.mk-field { margin: 0.9rem 0; }
.mk-label { font-weight: 600; display: block; }
.mk-required { color: #b3261e; }
.mk-help { color: #555; font-size: 0.9em; }
.mk-message .mk-error, .mk-error { color: #b3261e; }
.mk-warning { color: #8a5300; }
.mk-ok { color: #1b6e3a; }
.mk-info { color: #444; }
.mk-savebar { position: sticky; top: 0; background: #fff; z-index: 2; padding: 0.4rem 0;
  border-bottom: 1px solid #ddd; }
.mk-conflict { background: #fff4e0; border-left: 4px solid #e0a030; padding: 0.5rem 0.8rem; }
.mk-group-item { border-left: 3px solid #cfd8e3; padding-left: 0.8rem; margin: 0.4rem 0; }
.mk-guidance { background: #f3f6fa; padding: 0.6rem 0.9rem; border-radius: 6px; }
.mk-table { border-collapse: collapse; width: 100%; }
.mk-table th, .mk-table td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #e3e3e3; }
.mk-badge { border-radius: 1rem; padding: 0.05rem 0.55rem; font-size: 0.85em; background: #eee; }
.mk-badge.complete { background: #d8f0df; } .mk-badge.progress { background: #fff0cc; }
.mk-note { color: #6b5a2e; font-size: 0.9em; font-style: italic; }
.mk-note.mk-error { color: #b3261e; font-style: normal; }
.mk-objective { border-left: 3px solid #cfd8e3; padding-left: 0.8rem; margin: 0.6rem 0; }
.mk-action { margin: 0.15rem 0; }
.mk-action-row { flex-wrap: wrap; gap: 0.2rem; }
.mk-overdue { border-left: 4px solid #b3261e; padding-left: 0.4rem; background: #fdf1ef; }
.mk-overdue-note { color: #b3261e; font-style: normal; }
.mk-check-in { background: #f7f9fc; padding: 0.4rem 0.8rem; border-radius: 6px; margin: 0.8rem 0; }
.mk-bar { display: inline-block; width: 6rem; height: 0.6rem; background: #e3e3e3;
  border-radius: 0.3rem; vertical-align: middle; overflow: hidden; }
.mk-bar span { display: block; height: 100%; background: #009E73; }
.mk-action-header { display: flex; gap: 0.2rem; color: #555; font-size: 0.85em; }
.mk-action-header span { padding-left: 0.3rem; }
.mk-page .widget-tab .lm-TabBar-tab, .mk-page .widget-tab .p-TabBar-tab {
  flex: 0 0 auto !important; min-width: 11rem; max-width: none !important; }
.mk-dashboard td, .mk-dashboard th { padding: 0.25rem 0.4rem; font-size: 0.92em; }
.mk-ws-cell { text-align: center; color: #999; } .mk-ws-cell.mk-ws-complete { color: #1b6e3a; }
.mk-ws-cell.mk-ws-progress { color: #8a5300; } .mk-flagged { background: #fff6f4; }
.mk-flag { color: #b3261e; font-size: 0.9em; }
.mk-room { display: flex; flex-wrap: wrap; gap: 1rem; }
.mk-room-card { width: 15rem; padding: 0.8rem; border: 1px solid #ddd; border-radius: 8px;
  font-size: 1.2em; }
.mk-room-title { font-weight: 600; margin-bottom: 0.4rem; }
.mk-room-bar { height: 1rem; background: #e3e3e3; border-radius: 0.5rem; overflow: hidden; }
.mk-room-bar span { display: block; height: 100%; background: #009E73; }
.mk-signout { display: inline; margin: 0; }
.mk-link-button { background: none; border: 0; padding: 0; color: #1d5fa8; text-decoration: underline;
  font: inherit; cursor: pointer; }
.mk-notice { background: #fdecea; border-left: 4px solid #b3261e; padding: 0.6rem 0.9rem; }
</style>
"""


def stylesheet() -> w.HTML:
    """A widget carrying the stylesheet."""
    return w.HTML(CSS)
