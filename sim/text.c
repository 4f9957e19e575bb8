#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int text_fmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return k >= 0 && (size_t)k < n ? 0 : -1;
}

/* East Asian wide and fullwidth ranges (Unicode's EastAsianWidth W and F, the
 * blocks a name is likely to use): two columns on a terminal. */
static int wide(unsigned c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
           (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
           (c >= 0x20000 && c <= 0x3FFFD);
}

/* Combining marks and zero-width characters take no column. */
static int zero_width(unsigned c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
}

size_t text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        unsigned c = *p, extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        if (extra)
            c &= 0x3Fu >> extra;
        p++;
        for (unsigned i = 0; i < extra && (*p & 0xC0) == 0x80; i++, p++)
            c = c << 6 | (*p & 0x3F);
        w += zero_width(c) ? 0 : wide(c) ? 2 : 1;
    }
    return w;
}

void text_wrap(FILE *out, const char *text, int indent, int col, int width)
{
    const char *p = text;
    while (*p) {
        if (p[0] == '\n' && p[1] == '\n') {
            fprintf(out, "\n\n%*s", indent, "");
            col = indent;
            p += 2;
            continue;
        }
        if (*p == ' ' || *p == '\n') {
            p++;
            continue;
        }
        size_t len = strcspn(p, " \n");
        if (col > indent && col + 1 + (int)len > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)len, p);
        col += (int)len;
        p += len;
    }
    fputc('\n', out);
}
