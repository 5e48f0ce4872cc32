package io.riffle.runtime;

import io.riffle.core.RiffleException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Uids from {@code [base, base + count)}, each leased by one Riffle process of the machine at a time: a lease is
 * an exclusive lock on {@code <leaseDir>/<uid>}, held until this process ends (the OS drops it even after
 * SIGKILL). So two Riffles on one machine (two installations, or several engines of one) never share a uid, and
 * the holder may kill every process of its uid. A key (a pipeline id, {@code check}, {@code venv:<hash>}) gets the
 * uid it had last time when that one is free, remembered in {@code prefsFile}, so work dirs keep their owner.
 * Thread-safe.
 */
final class WorkerUids {
    private final Path leaseDir;
    private final Path prefsFile;
    private final int base;
    private final int count;
    private final IntConsumer leased;
    private final Map<String, Integer> preferred = new HashMap<>();
    private final Set<Integer> remembered = new HashSet<>();
    private final Map<String, Integer> byKey = new HashMap<>();
    private final Map<Integer, FileLock> leases = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    /** {@code leased} hears of each newly leased uid (to clear what an earlier holder left behind). */
    WorkerUids(Path leaseDir, Path prefsFile, int base, int count, IntConsumer leased) {
        this.leaseDir = leaseDir;
        this.prefsFile = prefsFile;
        this.base = base;
        this.count = count;
        this.leased = leased;
        load();
    }

    /** Whether this process holds {@code uid}. */
    boolean holds(int uid) {
        lock.lock();
        try {
            return leases.containsKey(uid);
        } finally {
            lock.unlock();
        }
    }

    /** The uid of {@code key} (no spaces), leased on first use. */
    int uidFor(String key) {
        lock.lock();
        try {
            Integer uid = byKey.get(key);
            if (uid != null) {
                return uid;
            }
            Files.createDirectories(leaseDir);
            Files.setPosixFilePermissions(leaseDir, PosixFilePermissions.fromString("rwx------"));
            Integer wanted = preferred.get(key);
            int got = wanted != null && lease(wanted) ? wanted : leaseAny();
            byKey.put(key, got);
            if (!Integer.valueOf(got).equals(wanted)) {
                preferred.put(key, got);
                remembered.add(got);
                Files.createDirectories(prefsFile.getParent());
                Files.writeString(prefsFile, key + " " + got + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            leased.accept(got);
            return got;
        } catch (IOException e) {
            throw new RiffleException("cannot lease a worker uid for " + key + " in " + leaseDir, e);
        } finally {
            lock.unlock();
        }
    }

    private int leaseAny() throws IOException {
        for (int uid = base; uid < base + count; uid++) {
            if (!remembered.contains(uid) && lease(uid)) {
                return uid;
            }
        }
        for (int uid = base; uid < base + count; uid++) { // every one was somebody's once: reuse the free ones
            if (lease(uid)) {
                return uid;
            }
        }
        throw new RiffleException("all " + count + " worker uids from RIFFLE_WORKER_UID_BASE=" + base
                + " are in use on this machine; raise RIFFLE_WORKER_UID_COUNT");
    }

    private boolean lease(int uid) throws IOException {
        if (leases.containsKey(uid) || uid < base || uid >= base + count) {
            return false;
        }
        FileChannel channel = FileChannel.open(leaseDir.resolve(Integer.toString(uid)), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock fileLock;
        try {
            fileLock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            fileLock = null; // another runtime in this JVM holds it
        }
        if (fileLock == null) {
            channel.close();
            return false;
        }
        leases.put(uid, fileLock);
        return true;
    }

    private void load() {
        if (!Files.exists(prefsFile)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(prefsFile, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split(" ");
                if (parts.length == 2 && parts[1].chars().allMatch(Character::isDigit)) {
                    preferred.put(parts[0], Integer.parseInt(parts[1]));
                    remembered.add(Integer.parseInt(parts[1]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new RiffleException("cannot read the worker uids in " + prefsFile, e);
        }
    }
}
