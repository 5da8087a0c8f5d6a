package dev.quiesce.engine;

import dev.quiesce.linux.ProcessMemory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The int3 bytes Quiesce has written into one process, shared by engines and reference counted
 * per address: the byte goes in with the first owner and comes out with the last. Written through
 * /proc/PID/mem, so sites come and go while threads run. Tracer thread only.
 */
final class Breakpoints {
    static final byte INT3 = (byte) 0xCC;

    private static final class Site {
        final byte original;
        final Set<EngineHandle> owners = new LinkedHashSet<>();
        /** False while lifted (a thread steps over it, or a vfork child runs). */
        boolean inserted;

        Site(byte original) {
            this.original = original;
        }
    }

    private final Map<Long, Site> sites = new HashMap<>();
    /** Addresses whose int3 we removed: a trap already in flight there is a phantom, not the program's. */
    private final Set<Long> removed = new HashSet<>();
    private ProcessMemory memory;
    /**
     * A vfork child's table before its exec: it runs in its parent's memory, so its sites are
     * recorded but not written (they never trap); its exec gives it memory of its own.
     */
    private boolean deferred;

    Breakpoints(ProcessMemory memory) {
        this.memory = memory;
    }

    boolean isEmpty() {
        return sites.isEmpty();
    }

    void add(EngineHandle owner, long address) {
        Site site = sites.get(address);
        if (site == null) {
            byte[] original = memory.read(address, 1);
            if (original.length == 0) {
                throw new TracerException(String.format("cannot set a breakpoint at 0x%x: no memory there", address));
            }
            site = new Site(original[0]);
            if (!deferred) {
                memory.writeByte(address, INT3);
                site.inserted = true;
            }
            sites.put(address, site);
            removed.remove(address);
        }
        site.owners.add(owner);
    }

    /** Drops one owner; the byte is restored when the last goes. Returns whether the site is gone. */
    boolean remove(EngineHandle owner, long address) {
        Site site = sites.get(address);
        if (site == null || !site.owners.remove(owner)) {
            return false;
        }
        if (site.owners.isEmpty()) {
            if (site.inserted) {
                memory.writeByte(address, site.original);
            }
            sites.remove(address);
            removed.add(address);
            return true;
        }
        return false;
    }

    void removeAll(EngineHandle owner) {
        for (Long address : Set.copyOf(sites.keySet())) {
            remove(owner, address);
        }
    }

    boolean isInserted(long address) {
        Site site = sites.get(address);
        return site != null && site.inserted;
    }

    boolean exists(long address) {
        return sites.containsKey(address);
    }

    Set<EngineHandle> owners(long address) {
        Site site = sites.get(address);
        return site == null ? Set.of() : Set.copyOf(site.owners);
    }

    /** A SIGTRAP from an int3 at an address whose breakpoint was removed after the trap was taken. */
    boolean isPhantom(long address) {
        if (!removed.contains(address) || sites.containsKey(address)) {
            return false;
        }
        byte[] now = memory.read(address, 1);
        return now.length == 1 && now[0] != INT3;
    }

    /** Takes the int3 out while one thread executes the original instruction. */
    void lift(long address) {
        Site site = sites.get(address);
        if (site != null && site.inserted) {
            memory.writeByte(address, site.original);
            site.inserted = false;
        }
    }

    /** Puts a lifted int3 back, if the breakpoint still exists. */
    void restore(long address) {
        Site site = sites.get(address);
        if (site != null && !site.inserted && !deferred) {
            memory.writeByte(address, INT3);
            site.inserted = true;
        }
    }

    void liftAll() {
        for (Long address : sites.keySet()) {
            lift(address);
        }
    }

    void restoreAll() {
        for (Long address : sites.keySet()) {
            restore(address);
        }
    }

    /** Writes the original bytes into a fork child's copy of the memory, so it runs untraced cleanly. */
    void cleanCopy(ProcessMemory child) {
        for (Map.Entry<Long, Site> e : sites.entrySet()) {
            if (e.getValue().inserted) {
                child.writeByte(e.getKey(), e.getValue().original);
            }
        }
    }

    /** Replaces our int3 bytes in {@code bytes} (read at {@code address}) with the program's own. */
    void shadow(long address, byte[] bytes, int length) {
        for (Map.Entry<Long, Site> e : sites.entrySet()) {
            long offset = e.getKey() - address;
            if (offset >= 0 && offset < length && e.getValue().inserted) {
                bytes[(int) offset] = e.getValue().original;
            }
        }
    }

    /**
     * The program's memory was written at {@code address}: where a breakpoint sits, the written
     * byte becomes its new original and the int3 goes back in.
     */
    void written(long address, byte[] data) {
        for (Map.Entry<Long, Site> e : sites.entrySet()) {
            long offset = e.getKey() - address;
            if (offset >= 0 && offset < data.length) {
                Site old = e.getValue();
                Site updated = new Site(data[(int) offset]);
                updated.owners.addAll(old.owners);
                updated.inserted = old.inserted;
                e.setValue(updated);
                if (updated.inserted) {
                    memory.writeByte(e.getKey(), INT3);
                }
            }
        }
    }

    /** Restores every byte (detach). The table is emptied. */
    void clear() {
        for (Map.Entry<Long, Site> e : sites.entrySet()) {
            if (e.getValue().inserted) {
                memory.writeByte(e.getKey(), e.getValue().original);
            }
        }
        sites.clear();
        removed.clear();
    }

    /** See {@link #deferred}: until the exec, sites are kept but not written. */
    void deferUntilExec() {
        deferred = true;
    }

    /** After exec the address space is new: every int3 is gone with the old one. */
    void forgetAfterExec(ProcessMemory newMemory) {
        deferred = false;
        sites.clear();
        removed.clear();
        memory = newMemory;
    }
}
