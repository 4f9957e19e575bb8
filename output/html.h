/* html.h — text from a results file put into a page safely: every string a
 * file holds (scenario names, configs, command lines) goes through html_esc,
 * so a name like `<script>` prints as text, never as markup. */
#ifndef INCUBSIM_HTML_H
#define INCUBSIM_HTML_H

#include <stdio.h>

/* s with & < > " ' as entities, control characters (but tab and newline)
 * dropped, and bytes that are not UTF-8 as U+FFFD: safe in element text and
 * in a quoted attribute. NULL prints nothing. */
void html_esc(FILE *out, const char *s);
/* The same, at most `max` bytes of s (cut at a character boundary), with an
 * ellipsis when cut. */
void html_esc_n(FILE *out, const char *s, size_t max);

#endif
