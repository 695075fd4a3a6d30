// The Department's admin: give the autocomplete boxes (select2, drawn by Django's autocomplete.js) an accessible
// name. select2 names its combobox by the text of the chosen option alone, so an empty box has no name at all and
// a screen reader hears nothing of what it is for; here the name is the field's label (or the select's aria-label
// in an inline row) followed by the chosen option. Loaded (deferred) by templates/admin/base_site.html.
'use strict';
{
    function labelOf(select) {
        if (select.getAttribute('aria-label')) {
            return select.getAttribute('aria-label');
        }
        const label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
        return label ? label.textContent.replace(/:\s*$/, '').trim() : '';
    }

    function nameComboboxes(root) {
        root.querySelectorAll('select.admin-autocomplete').forEach(function(select) {
            const container = select.nextElementSibling;
            if (!container || !container.classList.contains('select2')) {
                return;
            }
            const combobox = container.querySelector('[role="combobox"]');
            const label = labelOf(select);
            if (!combobox || !label) {
                return;
            }
            const labelId = select.id + '-accessible-label';
            let hidden = document.getElementById(labelId);
            if (!hidden) {
                hidden = document.createElement('span');
                hidden.id = labelId;
                hidden.hidden = true;
                container.appendChild(hidden);
            }
            hidden.textContent = label;
            const rendered = combobox.querySelector('.select2-selection__rendered');
            combobox.setAttribute('aria-labelledby', rendered && rendered.id ? labelId + ' ' + rendered.id : labelId);
            if (rendered) {
                rendered.setAttribute('aria-label', label);  // the chosen option's box (role="textbox")
            }
        });
    }

    // After Django's autocomplete.js, which draws the boxes in a jQuery ready handler and in its own handler of
    // «formset:added» (a new inline row): both were registered before this deferred script runs.
    if (window.django && window.django.jQuery) {
        window.django.jQuery(function() {
            nameComboboxes(document);
        });
    }
    document.addEventListener('formset:added', function(event) {
        nameComboboxes(event.target);
    });
}
