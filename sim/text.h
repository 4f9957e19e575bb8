/* text.h — bounded formatting for messages and paths. */
#ifndef INCUBSIM_TEXT_H
#define INCUBSIM_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* snprintf that says what it did: formats into buf[n] (always NUL-ended),
 * cutting what does not fit. Returns 0, or -1 when the text was cut, so a
 * caller can refuse a path that would be wrong rather than merely short. */
int text_fmt(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Columns a UTF-8 string takes on a terminal: East Asian wide characters
 * take two, combining marks none. */
size_t text_width(const char *s);

/* Prints text filled to `width` columns, continuation lines indented by
 * `indent`; `col` is where the cursor already is. Ends the line. */
void text_wrap(FILE *out, const char *text, int indent, int col, int width);

#endif
