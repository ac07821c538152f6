// Mega menu: a disclosure per top-level entry, usable by mouse, touch and keyboard.
(function () {
    "use strict";
    document.documentElement.classList.add("js");

    function init() {
        var menu = document.querySelector("[data-mega-menu]");
        if (!menu) return;
        // The links that work without the script become disclosure buttons, the same size
        // and in the same place, so the page does not move.
        var toggles = Array.prototype.slice.call(menu.querySelectorAll("[data-panel-toggle]")).map(asButton);
        var menuToggle = menu.querySelector("[data-menu-toggle]");
        if (menuToggle) menuToggle = asButton(menuToggle);

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

    function asButton(link) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = link.className;
        button.textContent = link.textContent;
        button.setAttribute("aria-controls", link.getAttribute("aria-controls"));
        button.setAttribute("aria-expanded", "false");
        Array.prototype.forEach.call(link.attributes, function (attribute) {
            if (attribute.name.indexOf("data-") === 0) button.setAttribute(attribute.name, attribute.value);
        });
        link.parentNode.replaceChild(button, link);
        return button;
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
