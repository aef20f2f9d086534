/* memcpy, memmove, memset and their ARM EABI aliases: LLVM turns copy and fill loops into calls to
 * them. Word-at-a-time when both pointers are 4-byte aligned. */
#include "tml_rt.h"

void *memcpy(void *dst, const void *src, usize n) {
    u8 *d = dst;
    const u8 *s = src;
    if ((((u32)d | (u32)s) & 3) == 0) {
        for (; n >= 16; n -= 16, d += 16, s += 16) {
            u32 *dw = (u32 *)d;
            const u32 *sw = (const u32 *)s;
            u32 a = sw[0], b = sw[1], c = sw[2], e = sw[3];
            dw[0] = a; dw[1] = b; dw[2] = c; dw[3] = e;
        }
        for (; n >= 4; n -= 4, d += 4, s += 4) *(u32 *)d = *(const u32 *)s;
    }
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, usize n) {
    u8 *d = dst;
    const u8 *s = src;
    if (d <= s || d >= s + n) return memcpy(dst, src, n);
    while (n--) d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, usize n) {
    u8 *d = dst;
    u32 w = (u8)c * 0x01010101u;
    while (n && ((u32)d & 3)) { *d++ = (u8)c; n--; }
    for (; n >= 4; n -= 4, d += 4) *(u32 *)d = w;
    while (n--) *d++ = (u8)c;
    return dst;
}

void __aeabi_memcpy(void *d, const void *s, usize n) { memcpy(d, s, n); }
void __aeabi_memcpy4(void *d, const void *s, usize n) { memcpy(d, s, n); }
void __aeabi_memcpy8(void *d, const void *s, usize n) { memcpy(d, s, n); }
void __aeabi_memmove(void *d, const void *s, usize n) { memmove(d, s, n); }
void __aeabi_memmove4(void *d, const void *s, usize n) { memmove(d, s, n); }
void __aeabi_memmove8(void *d, const void *s, usize n) { memmove(d, s, n); }
/* note the EABI argument order: (dest, n, c) */
void __aeabi_memset(void *d, usize n, int c) { memset(d, c, n); }
void __aeabi_memset4(void *d, usize n, int c) { memset(d, c, n); }
void __aeabi_memset8(void *d, usize n, int c) { memset(d, c, n); }
void __aeabi_memclr(void *d, usize n) { memset(d, 0, n); }
void __aeabi_memclr4(void *d, usize n) { memset(d, 0, n); }
void __aeabi_memclr8(void *d, usize n) { memset(d, 0, n); }
