/* printk and vsnprintf: the format subset documented in linux/printk.h. */
#include <linux/kernel.h>

#define CONSOLE_TX ((volatile unsigned int *)0x10000000UL)
#define CONSOLE_READY ((volatile unsigned int *)0x10000004UL)

void notrace console_putc(char c)
{
    while (!(*CONSOLE_READY & 1))
        ;
    *CONSOLE_TX = (unsigned char)c;
}

struct out {
    char *buf;
    size_t size, len;     /* buf == NULL: straight to the console */
};

static void notrace put(struct out *o, char c)
{
    if (!o->buf)
        console_putc(c);
    else if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void notrace put_padded(struct out *o, const char *s, size_t n, int width, int left,
                               char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;
    if (!left && pad == '0' && n && (*s == '-')) {   /* zero padding goes after the sign */
        put(o, *s++);
        n--;
    }
    if (!left)
        while (fill-- > 0)
            put(o, pad);
    while (n--)
        put(o, *s++);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

static size_t notrace utoa(unsigned long long v, unsigned base, int upper, char *end)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    return (size_t)(end - p);
}

static int notrace format(struct out *o, const char *fmt, va_list ap)
{
    char tmp[KSYM_SYMBOL_LEN];
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(o, *fmt);
            continue;
        }
        int left = 0, width = 0, lng = 0;
        char pad = ' ';
        for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
            if (*fmt == '-')
                left = 1;
            else
                pad = '0';
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') {
            lng += *fmt == 'l' ? 1 : 1;
            fmt++;
        }
        if (left)
            pad = ' ';
        char *end = tmp + sizeof(tmp);
        size_t n;
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
            unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
            n = utoa(u, 10, 0, end);
            if (v < 0) {
                *(end - n - 1) = '-';
                n++;
            }
            put_padded(o, end - n, n, width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            unsigned long long v = lng >= 2 ? va_arg(ap, unsigned long long)
                                 : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            n = utoa(v, base, *fmt == 'X', end);
            put_padded(o, end - n, n, width, left, pad);
            break;
        }
        case 'p': {
            unsigned long v = (unsigned long)va_arg(ap, void *);
            if (fmt[1] == 'S' || fmt[1] == 's') {
                fmt++;
                n = (size_t)sprint_symbol(tmp, v);
                put_padded(o, tmp, n, width, left, ' ');
            } else {
                n = utoa(v, 16, 0, end);
                put_padded(o, end - n, n, width, left, pad);
            }
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            put_padded(o, tmp, 1, width, left, ' ');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            put_padded(o, s, strlen(s), width, left, ' ');
            break;
        }
        case '%':
            put(o, '%');
            break;
        case '\0':
            return (int)o->len;
        default:
            put(o, '%');
            put(o, *fmt);
        }
    }
    return (int)o->len;
}

int notrace vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    int n = format(&o, fmt, ap);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return n;
}

int notrace snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int notrace vprintk(const char *fmt, va_list ap)
{
    struct out o = { NULL, 0, 0 };
    return format(&o, fmt, ap);
}

int notrace printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}
