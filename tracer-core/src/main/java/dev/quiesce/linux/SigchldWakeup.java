package dev.quiesce.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Makes every SIGCHLD bump an eventfd, through the tiny native library
 * {@code libquiesce-wake.so} (native/src/wake.c): a Java method cannot be a signal handler.
 */
public final class SigchldWakeup {
    private static volatile boolean loaded;

    private SigchldWakeup() {
    }

    private static native int quiesce_wake_on_sigchld(int eventFd) throws LastErrorException;

    public static synchronized void install(EventFd eventFd) {
        if (!loaded) {
            String path = NativeFiles.wakeLibrary().toString();
            Native.register(SigchldWakeup.class, NativeLibrary.getInstance(path));
            loaded = true;
        }
        quiesce_wake_on_sigchld(eventFd.fd());
    }
}
