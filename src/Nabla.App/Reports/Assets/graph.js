(function () {
  'use strict';
  const tip = document.getElementById('tooltip');
  function row(name, value) {
    const r = document.createElement('div'); r.className = 'tt-row';
    const a = document.createElement('span'); a.textContent = name;
    const b = document.createElement('span'); b.textContent = value;
    r.appendChild(a); r.appendChild(b); return r;
  }
  document.querySelectorAll('#graph g.node').forEach(function (node) {
    node.addEventListener('mousemove', function (e) {
      const d = node.dataset;
      tip.replaceChildren();
      const title = document.createElement('div'); title.className = 'tt-title'; title.textContent = d.label;
      tip.appendChild(title);
      tip.appendChild(row('value', d.value));
      tip.appendChild(row('gradient', d.grad));
      tip.style.left = (e.clientX + 14) + 'px';
      tip.style.top = (e.clientY + 14) + 'px';
      tip.hidden = false;
    });
    node.addEventListener('mouseleave', function () { tip.hidden = true; });
  });
})();
