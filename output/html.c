/* html.c — escaping for the report page (html.h). */
#include "html.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
    if (p[0] >= 0xf5)
        n = 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

void html_esc_n(FILE *out, const char *s, size_t max)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t used = 0;
    while (*p) {
        size_t n = utf8_len(p);
        if (used + (n ? n : 1) > max) {
            fputs("\xe2\x80\xa6", out);   /* … */
            return;
        }
        if (!n) {
            fputs("\xef\xbf\xbd", out);   /* U+FFFD */
            p++;
            used++;
            continue;
        }
        used += n;
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if (*p >= 0x20 && *p != 0x7f)
                fwrite(p, 1, n, out);
            else if (*p == '\n' || *p == '\t')
                fputc(*p, out);
        }
        p += n;
    }
}

void html_esc(FILE *out, const char *s)
{
    html_esc_n(out, s, (size_t)-1);
}
