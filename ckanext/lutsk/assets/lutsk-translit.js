/* Passport element 1 (the dataset's name) from its Ukrainian title, in the form's slug
 * preview: the official Ukrainian transliteration (CMU resolution No. 55 of 27.01.2010),
 * the same table and order as the server's ckanext/lutsk/domain/identifiers.py (the kept
 * library translitua), so that the preview is what the server would make. Replaces CKAN's
 * jQuery.url.slugify, which maps Cyrillic letters to Latin look-alikes («в» -> «b»).
 * tests/browser/test_journey.py compares the two on a list of titles. */
(function ($) {
  'use strict';
  if (!$ || !$.url) { return; }

  var MAIN = {
    'а': 'a', 'б': 'b', 'в': 'v', 'г': 'h', 'ґ': 'g', 'д': 'd', 'е': 'e', 'є': 'ie',
    'ж': 'zh', 'з': 'z', 'и': 'y', 'і': 'i', 'ї': 'i', 'й': 'i', 'к': 'k', 'л': 'l',
    'м': 'm', 'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r', 'с': 's', 'т': 't', 'у': 'u',
    'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch', 'ш': 'sh', 'щ': 'shch', 'ю': 'iu', 'я': 'ia'
  };
  // At the start of a word.
  var FIRST = { 'є': 'ye', 'ї': 'yi', 'й': 'y', 'ю': 'yu', 'я': 'ya' };
  // The apostrophe (in any of the look-alikes people type) and the soft sign are dropped.
  var DROP = /['\u2019\u2018`\u00b4\u02b9\u2032\uff07\u02bcь]/g;
  var MAX_LENGTH = 100;

  function transliterate(text) {
    var s = String(text || '').toLowerCase().replace(DROP, '').replace(/зг/g, 'zgh');
    s = s.replace(/(^|[^\p{L}\p{N}_])([єїйюя])/gu, function (m, before, ch) {
      return before + FIRST[ch];
    });
    var out = '';
    for (var i = 0; i < s.length; i += 1) {
      var ch = s.charAt(i);
      out += Object.prototype.hasOwnProperty.call(MAIN, ch) ? MAIN[ch] : ch;
    }
    return out;
  }

  function slugify(string, trim) {
    var str = transliterate(string).replace(/[^a-z0-9_]/g, '-');
    if (trim === false) { return str; }
    str = str.replace(/-+/g, '-').replace(/^-|-$/g, '');
    if (str.length > MAX_LENGTH) {
      var cut = str.slice(0, MAX_LENGTH);
      str = cut.indexOf('-') >= 0 ? cut.slice(0, cut.lastIndexOf('-')) : cut;
    }
    return str.replace(/^-|-$/g, '');
  }

  $.url.transliterate = transliterate;
  $.url.slugify = slugify;
})(window.jQuery);
