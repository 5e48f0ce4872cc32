package io.riffle.runtime;

import io.riffle.core.RiffleException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One uid per pipeline from {@code [base + 1, base + count)}, handed out in order and remembered in a file
 * ({@code <pipeline> <uid>} per line), so a pipeline keeps its uid, and its work dir, across restarts. Uids are not
 * reused after a pipeline is deleted. Thread-safe; one Riffle per data dir (the data-dir lock) writes the file.
 */
final class WorkerUids {
    private final Path file;
    private final int base;
    private final int count;
    private final Map<String, Integer> assigned = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private int highest;

    WorkerUids(Path file, int base, int count) {
        this.file = file;
        this.base = base;
        this.count = count;
        this.highest = base;
        load();
    }

    /** The uid of import checks and test runs, which belong to no pipeline yet. */
    int checkUid() {
        return base;
    }

    /** Whether {@code uid} is one of this range. */
    boolean contains(int uid) {
        return uid >= base && uid < base + count;
    }

    /** The pipeline's uid, assigned (and written down) on first use. */
    int uidFor(String pipelineId) {
        lock.lock();
        try {
            Integer uid = assigned.get(pipelineId);
            if (uid != null) {
                return uid;
            }
            if (highest + 1 >= base + count) {
                throw new RiffleException("all " + (count - 1) + " worker uids from RIFFLE_WORKER_UID_BASE=" + base
                        + " are taken; raise RIFFLE_WORKER_UID_COUNT");
            }
            int next = highest + 1;
            Files.createDirectories(file.getParent());
            Files.writeString(file, pipelineId + " " + next + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            assigned.put(pipelineId, next);
            highest = next;
            return next;
        } catch (IOException e) {
            throw new RiffleException("cannot record the worker uid of pipeline " + pipelineId + " in " + file, e);
        } finally {
            lock.unlock();
        }
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split(" ");
                if (parts.length == 2 && parts[1].chars().allMatch(Character::isDigit)) {
                    int uid = Integer.parseInt(parts[1]);
                    if (uid > base && contains(uid)) {
                        assigned.put(parts[0], uid);
                        highest = Math.max(highest, uid);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new RiffleException("cannot read the worker uids in " + file, e);
        }
    }
}
