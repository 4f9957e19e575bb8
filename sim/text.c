#include "text.h"

#include <stdarg.h>
#include <stdio.h>

int text_fmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return k >= 0 && (size_t)k < n ? 0 : -1;
}
