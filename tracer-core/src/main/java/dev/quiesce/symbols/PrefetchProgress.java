package dev.quiesce.symbols;

/**
 * Told how the reading ahead of a large module's symbols ({@link ModuleSymbols#prefetch}) goes,
 * measured in bytes of its {@code .debug_info}, one compilation unit at a time. Called on the
 * thread that prefetches; {@code started} and then {@code finished} come exactly once each for
 * a module large enough to be worth telling about ({@link ModuleSymbols#PROGRESS_THRESHOLD}).
 */
public interface PrefetchProgress {
    PrefetchProgress NONE = new PrefetchProgress() {
        @Override
        public void started(long totalBytes, int units) {
        }

        @Override
        public void advanced(long doneBytes, long totalBytes, String unit) {
        }

        @Override
        public void finished(int units) {
        }
    };

    void started(long totalBytes, int units);

    /** A unit ({@code unit}: its name, the source file it was compiled from) is read. */
    void advanced(long doneBytes, long totalBytes, String unit);

    void finished(int units);
}
