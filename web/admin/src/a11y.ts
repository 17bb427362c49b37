// Two Element Plus defects (2.14) that a page template cannot reach, mended in the DOM
// (tests/e2e/a11y.e2e.test.ts checks them with axe-core):
// - el-autocomplete sets aria-activedescendant="…-item--1" on its input before any suggestion is
//   highlighted: a reference to no element (ARIA "invalid value"); it is removed until one is.
// - el-pagination's page-size select has no accessible name; it gets 每页条数.
const NO_ITEM = '[aria-activedescendant$="-item--1"]';
const UNNAMED_SIZES = '.el-pagination__sizes input[role="combobox"]:not([aria-label])';

function mend(root: Element) {
  const each = (selector: string, fix: (el: Element) => void) => {
    if (root.matches(selector)) fix(root);
    root.querySelectorAll(selector).forEach(fix);
  };
  each(NO_ITEM, (el) => el.removeAttribute('aria-activedescendant'));
  each(UNNAMED_SIZES, (el) => el.setAttribute('aria-label', '每页条数'));
}

export function mendElementPlusAria(target: HTMLElement = document.body) {
  mend(target);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') mend(r.target as Element);
      else r.addedNodes.forEach((n) => n instanceof Element && mend(n));
    }
  }).observe(target, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-activedescendant'] });
}
