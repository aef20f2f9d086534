/* The TML bare-metal runtime for Cortex-M cores in QEMU: shared declarations.
 * Freestanding: no libc, no headers from the toolchain. */
#ifndef TML_RT_H
#define TML_RT_H

typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned char u8;
typedef u32 usize;

/* Semihosting (ARM "Angel" interface: bkpt 0xab, operation in r0, argument block in r1). */
int sh_open(const char *name, u32 mode);       /* a handle, or -1 */
int sh_read(int handle, void *buf, u32 bytes);  /* bytes NOT read (0: all read) */
int sh_write(int handle, const void *buf, u32 bytes); /* bytes NOT written */
int sh_seek(int handle, u32 pos);              /* 0 on success */
void sh_close(int handle);
void sh_exit(u32 code) __attribute__((noreturn));
void sh_puts(const char *s);                   /* to QEMU's console */
void sh_put_hex(u32 v);

enum { SH_MODE_RB = 1, SH_MODE_WB = 5 };

/* The instruction clock: SysTick counting the core clock, its 24-bit wraps counted in the handler. */
void ticks_start(void);
u64 ticks_now(void);

void *memcpy(void *dst, const void *src, usize n);
void *memmove(void *dst, const void *src, usize n);
void *memset(void *dst, int c, usize n);

/* The entry table the compiler adds to every Cortex-M module (CortexMTarget): one wrapper per
 * program taking its arguments (inputs..., outputs..., weights, arena) as an array of pointers. */
typedef void (*tml_entry)(void **args);
extern const tml_entry tml_entries[];
extern const u32 tml_entry_count;
extern const u32 tml_entry_arena[];

#endif
