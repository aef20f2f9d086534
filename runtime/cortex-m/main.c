/* The job loop. The host (McuRunner) plans every address and writes three files in QEMU's working
 * directory; this program only moves bytes and calls the compiled programs:
 *   tml.job  little-endian u32 words: 'TMLJ', version 1, job count, then per job
 *            program, arena bytes, argument count, arguments (addresses: inputs..., outputs...,
 *            weights, arena), load count, loads (offset in tml.in, address, bytes),
 *            store count, stores (address, bytes)
 *   tml.in   the bytes the loads copy into memory (weights blobs, inputs)
 *   tml.out  written here: per job the bytes of its stores, then the u64 SysTick ticks of the call.
 * Exit status: 0 done; 2 bad files; 4 a job that does not match the compiled programs. */
#include "tml_rt.h"

#define JOB_MAGIC 0x4A4D4C54u /* "TMLJ" little-endian */
#define MAX_ARGS 64

static int job_file, in_file, out_file;

static void fail(const char *what, u32 code) __attribute__((noreturn));
static void fail(const char *what, u32 code) {
    sh_puts("tml: ");
    sh_puts(what);
    sh_puts("\n");
    sh_exit(code);
}

static u32 word(void) {
    u32 w;
    if (sh_read(job_file, &w, 4) != 0) fail("tml.job ends early", 2);
    return w;
}

int main(void) {
    job_file = sh_open("tml.job", SH_MODE_RB);
    in_file = sh_open("tml.in", SH_MODE_RB);
    out_file = sh_open("tml.out", SH_MODE_WB);
    if (job_file < 0 || in_file < 0 || out_file < 0) fail("cannot open tml.job, tml.in or tml.out", 2);
    if (word() != JOB_MAGIC || word() != 1) fail("tml.job is not a version 1 job file", 2);
    u32 jobs = word();
    void *args[MAX_ARGS];
    ticks_start();
    for (u32 j = 0; j < jobs; j++) {
        u32 program = word(), arena = word(), nargs = word();
        if (program >= tml_entry_count) fail("a job names a program this image does not have", 4);
        if (arena != tml_entry_arena[program]) fail("a job's arena size differs from the compiled program's", 4);
        if (nargs > MAX_ARGS) fail("too many arguments", 4);
        for (u32 k = 0; k < nargs; k++) args[k] = (void *)word();
        for (u32 n = word(); n > 0; n--) {
            u32 offset = word(), address = word(), bytes = word();
            if (sh_seek(in_file, offset) != 0 || sh_read(in_file, (void *)address, bytes) != 0) fail("cannot read tml.in", 2);
        }
        u64 t0 = ticks_now();
        tml_entries[program](args);
        u64 t1 = ticks_now();
        for (u32 n = word(); n > 0; n--) {
            u32 address = word(), bytes = word();
            if (sh_write(out_file, (const void *)address, bytes) != 0) fail("cannot write tml.out", 2);
        }
        u64 ticks = t1 - t0;
        if (sh_write(out_file, &ticks, 8) != 0) fail("cannot write tml.out", 2);
    }
    sh_close(out_file);
    sh_close(in_file);
    sh_close(job_file);
    return 0;
}
