/* text.h — bounded formatting for messages and paths. */
#ifndef INCUBSIM_TEXT_H
#define INCUBSIM_TEXT_H

#include <stddef.h>

/* snprintf that says what it did: formats into buf[n] (always NUL-ended),
 * cutting what does not fit. Returns 0, or -1 when the text was cut, so a
 * caller can refuse a path that would be wrong rather than merely short. */
int text_fmt(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
