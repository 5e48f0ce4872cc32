package io.riffle.runtime;

import io.riffle.core.RiffleException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Ownership and modes of the runtime's part of the data dir when workers run under their own uids: the data dir
 * and {@code work/}, {@code functions/}, {@code tmp/} may be entered but not listed (0711); {@code runtime/} and
 * {@code venvs/} are readable by all (0755); a pipeline's work dirs belong to its uid (0700); its handler files
 * belong to Riffle and are readable by the pipeline's group only (0750 / 0640). Everything else in the data dir
 * (keys, tokens, PostgreSQL, JetStream) stays private to Riffle's user.
 */
final class SandboxFiles {
    private static final Set<PosixFilePermission> TRAVERSE = PosixFilePermissions.fromString("rwx--x--x");
    private static final Set<PosixFilePermission> PUBLIC_DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_DIR = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> GROUP_FILE = PosixFilePermissions.fromString("rw-r-----");

    private final Path dataDir;

    SandboxFiles(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Modes of the data dir's shared directories and of the harness. */
    void prepareRoots(Path harness) {
        try {
            Files.setPosixFilePermissions(dataDir, TRAVERSE);
            for (String name : new String[] {"work", "functions", "tmp"}) {
                Files.setPosixFilePermissions(Files.createDirectories(dataDir.resolve(name)), TRAVERSE);
            }
            Files.setPosixFilePermissions(Files.createDirectories(dataDir.resolve("venvs")), PUBLIC_DIR);
            Files.setPosixFilePermissions(harness.getParent(), PUBLIC_DIR);
            Files.setPosixFilePermissions(harness, PUBLIC_FILE);
        } catch (IOException e) {
            throw new RiffleException("cannot set the modes of " + dataDir + " for worker isolation", e);
        }
    }

    /**
     * Makes {@code work/<pipeline>/<replica>} the uid's own (0700). {@code work/<pipeline>} stays Riffle's (0711),
     * so a worker can never replace its work dir by a link to somewhere else.
     */
    void ownWorkDir(Path replicaDir, int uid) {
        Path pipelineDir = replicaDir.getParent();
        try {
            replaceLink(pipelineDir);
            Files.createDirectories(pipelineDir);
            if (uid(pipelineDir) != processUid(ProcessHandle.current().pid())) {
                PosixFileAttributeView view = view(pipelineDir);
                view.setOwner(user(processUid(ProcessHandle.current().pid())));
                view.setGroup(group((Integer) Files.getAttribute(dataDir, "unix:gid")));
            }
            Files.setPosixFilePermissions(pipelineDir, TRAVERSE);
        } catch (IOException e) {
            throw new RiffleException("cannot prepare " + pipelineDir + " for worker uid " + uid, e);
        }
        own(replicaDir, uid);
    }

    /** A symbolic link where a directory should be is removed (never followed by a chown or chmod as root). */
    private static void replaceLink(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            Files.delete(path);
        }
    }

    /** Makes a handler file and its two version directories readable by the uid's group only. */
    void shareHandler(Path handlerFile, int uid) {
        try {
            Path version = handlerFile.getParent();
            for (Path dir : new Path[] {version.getParent(), version}) {
                view(dir).setGroup(group(uid));
                Files.setPosixFilePermissions(dir, GROUP_DIR);
            }
            view(handlerFile).setGroup(group(uid));
            Files.setPosixFilePermissions(handlerFile, GROUP_FILE);
        } catch (IOException e) {
            throw new RiffleException("cannot give worker uid " + uid + " read access to " + handlerFile, e);
        }
    }

    /** A fresh directory under {@code tmp/} belonging to the uid. */
    Path scratch(String purpose, int uid) {
        Path dir = dataDir.resolve("tmp").resolve(purpose + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RiffleException("cannot create " + dir, e);
        }
        own(dir, uid);
        return dir;
    }

    /** Gives {@code dir} (created if missing) to {@code uid}, mode 0700; its contents too when it was not theirs. */
    void own(Path dir, int uid) {
        try {
            replaceLink(dir);
            Files.createDirectories(dir);
            if (uid(dir) != uid) {
                chownTree(dir, uid);
            }
            Files.setPosixFilePermissions(dir, PRIVATE_DIR);
        } catch (IOException e) {
            throw new RiffleException("cannot give " + dir + " to worker uid " + uid, e);
        }
    }

    /**
     * Gives a tree built by a worker uid to Riffle's own user; a file with several hard links is replaced by a
     * copy first, so the builder keeps no way into it.
     */
    static void reclaim(Path root) throws IOException {
        int self = processUid(ProcessHandle.current().pid());
        UserPrincipal user = user(self);
        GroupPrincipal group = group((Integer) Files.getAttribute(root.getParent(), "unix:gid"));
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                        && !Integer.valueOf(1).equals(Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS))) {
                    Path copy = path.resolveSibling(path.getFileName() + ".riffle-copy");
                    Files.copy(path, copy, LinkOption.NOFOLLOW_LINKS);
                    Files.move(copy, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                PosixFileAttributeView view = view(path);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
    }

    /** Adds read (and search) permission for everyone to a tree Riffle built (a virtualenv), and removes write. */
    static void publish(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(path));
                mode.add(PosixFilePermission.GROUP_READ);
                mode.add(PosixFilePermission.OTHERS_READ);
                mode.remove(PosixFilePermission.GROUP_WRITE);
                mode.remove(PosixFilePermission.OTHERS_WRITE);
                if (Files.isDirectory(path) || mode.contains(PosixFilePermission.OWNER_EXECUTE)) {
                    mode.add(PosixFilePermission.GROUP_EXECUTE);
                    mode.add(PosixFilePermission.OTHERS_EXECUTE);
                }
                Files.setPosixFilePermissions(path, mode);
            }
        } catch (IOException e) {
            throw new RiffleException("cannot make " + root + " readable for worker uids", e);
        }
    }

    /**
     * Changes the owner of a tree without following links; files with several hard links are skipped, so a link a
     * worker made to someone else's file never changes that file's owner.
     */
    private static void chownTree(Path root, int uid) throws IOException {
        UserPrincipal user = user(uid);
        GroupPrincipal group = group(uid);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Object links = Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || Integer.valueOf(1).equals(links)) {
                    PosixFileAttributeView view = view(path);
                    view.setOwner(user);
                    view.setGroup(group);
                }
            }
        }
    }

    static int uid(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new RiffleException("cannot read the owner of " + path, e);
        }
    }

    /** The real owner of a process ({@code /proc/<pid>}'s uid), or -1 when it is gone. */
    static int processUid(long pid) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc", Long.toString(pid)), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static PosixFileAttributeView view(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static UserPrincipal user(int uid) throws IOException {
        return lookup().lookupPrincipalByName(Integer.toString(uid));
    }

    private static GroupPrincipal group(int gid) throws IOException {
        return lookup().lookupPrincipalByGroupName(Integer.toString(gid));
    }

    private static UserPrincipalLookupService lookup() {
        return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService();
    }
}
