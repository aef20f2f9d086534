/* Vector table, reset handler, fault handlers and the SysTick instruction clock. */
#include "tml_rt.h"

extern u32 __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_top;
int main(void);

#define SCB_CPACR (*(volatile u32 *)0xE000ED88u)
#define SCB_ICSR (*(volatile u32 *)0xE000ED04u)
#define SCB_CFSR (*(volatile u32 *)0xE000ED28u)
#define SCB_HFSR (*(volatile u32 *)0xE000ED2Cu)
#define SCB_MMFAR (*(volatile u32 *)0xE000ED34u)
#define SCB_BFAR (*(volatile u32 *)0xE000ED38u)
#define SYST_CSR (*(volatile u32 *)0xE000E010u)
#define SYST_RVR (*(volatile u32 *)0xE000E014u)
#define SYST_CVR (*(volatile u32 *)0xE000E018u)
#define ICSR_PENDSTSET (1u << 26)
#define SYST_MAX 0xFFFFFFu

void Reset_Handler(void) __attribute__((noreturn));
void Fault_Handler(void);
void SysTick_Handler(void);

void Reset_Handler(void) {
    /* .data from its load address (QEMU loads the ELF's segments in place, so usually the same) */
    u32 *src = &__data_load, *dst = &__data_start;
    if (src != dst) while (dst < &__data_end) *dst++ = *src++;
    for (u32 *p = &__bss_start; p < &__bss_end; p++) *p = 0;
    /* full access to the FPU (CP10, CP11) before any floating-point instruction */
    SCB_CPACR |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    sh_exit((u32)main());
}

static volatile u32 systick_wraps;

void SysTick_Handler(void) { systick_wraps++; }

void ticks_start(void) {
    SYST_CSR = 0;
    SYST_RVR = SYST_MAX;
    SYST_CVR = 0;
    systick_wraps = 0;
    SYST_CSR = 7; /* enable, interrupt on wrap, core clock */
}

/* Ticks of the core clock since ticks_start: wraps * 2^24 plus the count down so far. A wrap that
 * has happened but whose interrupt is still pending is counted by looking at PENDSTSET. */
u64 ticks_now(void) {
    __asm__ volatile("cpsid i" ::: "memory");
    u32 wraps = systick_wraps, v = SYST_CVR;
    if (SCB_ICSR & ICSR_PENDSTSET) {
        v = SYST_CVR;
        wraps++;
    }
    __asm__ volatile("cpsie i" ::: "memory");
    return (u64)wraps * (SYST_MAX + 1) + (SYST_MAX - v);
}

void Fault_Handler(void) {
    u32 *sp;
    __asm__ volatile("mrs %0, msp" : "=r"(sp));
    sh_puts("tml: fault: CFSR=");
    sh_put_hex(SCB_CFSR);
    sh_puts(" HFSR=");
    sh_put_hex(SCB_HFSR);
    sh_puts(" BFAR=");
    sh_put_hex(SCB_BFAR);
    sh_puts(" PC=");
    sh_put_hex(sp[6]);
    sh_puts("\n");
    sh_exit(3);
}

/* Cortex-M vector table: initial stack pointer, reset, then the exceptions up to SysTick (15). */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))&__stack_top,
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    Fault_Handler, /* SecureFault (v8-M) */
    0, 0, 0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMonitor */
    0,
    Fault_Handler, /* PendSV */
    SysTick_Handler,
};
