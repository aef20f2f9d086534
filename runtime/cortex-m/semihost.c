/* Semihosting calls: QEMU (-semihosting-config enable=on,target=native) services them on the host. */
#include "tml_rt.h"

enum { SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_SEEK = 0x0A,
       SYS_EXIT_EXTENDED = 0x20 };
#define ADP_Stopped_ApplicationExit 0x20026u

static int call(u32 op, const void *arg) {
    register u32 r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int)r0;
}

static u32 length(const char *s) {
    u32 n = 0;
    while (s[n]) n++;
    return n;
}

int sh_open(const char *name, u32 mode) {
    u32 a[3] = {(u32)name, mode, length(name)};
    return call(SYS_OPEN, a);
}

int sh_read(int handle, void *buf, u32 bytes) {
    u32 a[3] = {(u32)handle, (u32)buf, bytes};
    return call(SYS_READ, a);
}

int sh_write(int handle, const void *buf, u32 bytes) {
    u32 a[3] = {(u32)handle, (u32)buf, bytes};
    return call(SYS_WRITE, a);
}

int sh_seek(int handle, u32 pos) {
    u32 a[2] = {(u32)handle, pos};
    return call(SYS_SEEK, a);
}

void sh_close(int handle) {
    u32 a[1] = {(u32)handle};
    call(SYS_CLOSE, a);
}

void sh_puts(const char *s) { call(SYS_WRITE0, s); }

void sh_put_hex(u32 v) {
    char buf[11] = "0x";
    for (int i = 0; i < 8; i++) buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    buf[10] = 0;
    sh_puts(buf);
}

/* Ends the QEMU run with exit status `code` (0: success). */
void sh_exit(u32 code) {
    u32 a[2] = {ADP_Stopped_ApplicationExit, code};
    call(SYS_EXIT_EXTENDED, a);
    for (;;) {}
}
