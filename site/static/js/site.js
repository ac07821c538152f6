// Mega menu: a disclosure per top-level entry, usable by mouse, touch and keyboard.
(function () {
    "use strict";
    document.documentElement.classList.add("js");

    function init() {
        var menu = document.querySelector("[data-mega-menu]");
        if (!menu) return;
        var toggles = Array.prototype.slice.call(menu.querySelectorAll("[data-panel-toggle]"));
        var menuToggle = menu.querySelector("[data-menu-toggle]");

        function closeAll(except) {
            toggles.forEach(function (button) {
                if (button !== except) button.setAttribute("aria-expanded", "false");
            });
        }

        toggles.forEach(function (button) {
            button.addEventListener("click", function () {
                var open = button.getAttribute("aria-expanded") === "true";
                closeAll(button);
                button.setAttribute("aria-expanded", open ? "false" : "true");
            });
        });

        if (menuToggle) {
            menuToggle.addEventListener("click", function () {
                var open = menuToggle.getAttribute("aria-expanded") === "true";
                menuToggle.setAttribute("aria-expanded", open ? "false" : "true");
                if (open) closeAll();
            });
        }

        menu.addEventListener("keydown", function (event) {
            if (event.key !== "Escape") return;
            var open = toggles.filter(function (b) { return b.getAttribute("aria-expanded") === "true"; })[0];
            if (open) {
                closeAll();
                open.focus();
            }
        });

        document.addEventListener("click", function (event) {
            if (!menu.contains(event.target)) closeAll();
        });

        menu.addEventListener("focusout", function (event) {
            if (event.relatedTarget && !menu.contains(event.relatedTarget)) closeAll();
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
