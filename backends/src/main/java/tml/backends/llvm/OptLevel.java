package tml.backends.llvm;

/** LLVM optimization level: the new pass manager's {@code default<On>} pipeline and the code generator's level. */
public enum OptLevel {
    O0, O1, O2, O3;

    public String pipeline() { return "default<" + name() + ">"; }

    /** The LLVMCodeGenOptLevel value. */
    int codegenLevel() { return ordinal(); }

    public static OptLevel parse(String s) {
        String t = s.startsWith("-") ? s.substring(1) : s;
        for (OptLevel l : values()) if (l.name().equalsIgnoreCase(t) || l.name().substring(1).equals(t)) return l;
        throw new BackendException("unknown optimization level '" + s + "'; use O0, O1, O2 or O3");
    }
}
