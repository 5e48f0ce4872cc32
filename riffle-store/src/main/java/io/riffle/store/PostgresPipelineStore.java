package io.riffle.store;

import io.riffle.core.BuildStatus;
import io.riffle.core.EnvVar;
import io.riffle.core.FunctionVersion;
import io.riffle.core.InvalidInputException;
import io.riffle.core.NotFoundException;
import io.riffle.core.Pipeline;
import io.riffle.core.PipelineState;
import io.riffle.core.PipelineStore;
import io.riffle.core.PipelineToken;
import io.riffle.core.SecretBox;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link PipelineStore} over {@code pipelines} and {@code function_versions}. */
final class PostgresPipelineStore implements PipelineStore {
    private static final String PIPELINE_COLUMNS = "id, space_id, name, state, metadata::text AS metadata,"
        + " source_connector::text AS source_connector, sink_connector::text AS sink_connector,"
        + " settings::text AS settings, active_version, created_at, updated_at";
    private static final String VERSION_COLUMNS = "pipeline_id, version, source, requirements_txt,"
        + " environments::text AS environments, build_status, build_log, created_at";

    private final Jdbc jdbc;
    private final SecretBox secrets;
    private final Clock clock;

    PostgresPipelineStore(Jdbc jdbc, SecretBox secrets, Clock clock) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public void create(Pipeline pipeline, FunctionVersion firstVersion, PipelineToken firstToken) {
        requireSamePipeline(pipeline, firstVersion.pipelineId(), "first version");
        requireSamePipeline(pipeline, firstToken.pipelineId(), "first token");
        var token = firstToken.createdAt() != null ? firstToken : new PipelineToken(firstToken.id(),
            firstToken.pipelineId(), firstToken.name(), firstToken.token(), pipeline.createdAt());
        jdbc.inTransaction(c -> {
            if (Jdbc.queryOne(c, "SELECT 1 FROM spaces WHERE id = ?", rs -> 1, pipeline.spaceId()).isEmpty()) {
                throw new NotFoundException("space " + pipeline.spaceId() + " not found");
            }
            Jdbc.update(c, "INSERT INTO pipelines (id, space_id, name, state, metadata, source_connector,"
                    + " sink_connector, settings, active_version, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?)",
                pipeline.id(), pipeline.spaceId(), pipeline.name(), pipeline.state().wire(),
                Json.write(pipeline.metadata()), Json.write(pipeline.sourceConnector()),
                Json.write(pipeline.sinkConnector()), Json.settings(pipeline.settings()), pipeline.activeVersion(),
                pipeline.createdAt(), pipeline.updatedAt());
            insertVersion(c, firstVersion);
            PostgresTokenStore.insert(c, secrets, token);
            return null;
        });
    }

    @Override
    public Optional<Pipeline> find(String pipelineId) {
        return jdbc.queryOne("SELECT " + PIPELINE_COLUMNS + " FROM pipelines WHERE id = ?",
            PostgresPipelineStore::pipeline, pipelineId);
    }

    @Override
    public List<Pipeline> list(Collection<String> spaceIds) {
        if (spaceIds.isEmpty()) {
            return List.of();
        }
        return jdbc.withConnection(c -> {
            var ids = c.createArrayOf("text", spaceIds.toArray());
            return Jdbc.query(c, "SELECT " + PIPELINE_COLUMNS + " FROM pipelines WHERE space_id = ANY (?)"
                + " ORDER BY created_at, id", PostgresPipelineStore::pipeline, ids);
        });
    }

    @Override
    public List<Pipeline> listAll() {
        return jdbc.query("SELECT " + PIPELINE_COLUMNS + " FROM pipelines ORDER BY created_at, id",
            PostgresPipelineStore::pipeline);
    }

    @Override
    public Pipeline update(Pipeline pipeline) {
        return jdbc.queryOne("UPDATE pipelines SET name = ?, state = ?, metadata = ?::jsonb,"
                    + " source_connector = ?::jsonb, sink_connector = ?::jsonb, settings = ?::jsonb,"
                    + " active_version = ?, updated_at = ? WHERE id = ? RETURNING " + PIPELINE_COLUMNS,
                PostgresPipelineStore::pipeline, pipeline.name(), pipeline.state().wire(),
                Json.write(pipeline.metadata()), Json.write(pipeline.sourceConnector()),
                Json.write(pipeline.sinkConnector()), Json.settings(pipeline.settings()), pipeline.activeVersion(),
                clock.instant(), pipeline.id())
            .orElseThrow(() -> new NotFoundException("pipeline " + pipeline.id() + " not found"));
    }

    @Override
    public void delete(String pipelineId) {
        jdbc.update("DELETE FROM pipelines WHERE id = ?", pipelineId);
    }

    @Override
    public FunctionVersion addVersion(String pipelineId, String source, String requirementsTxt,
                                      List<EnvVar> environments, BuildStatus status) {
        return jdbc.inTransaction(c -> {
            // Locking the pipeline row serialises concurrent additions, so max + 1 never repeats.
            if (Jdbc.queryOne(c, "SELECT 1 FROM pipelines WHERE id = ? FOR UPDATE", rs -> 1, pipelineId).isEmpty()) {
                throw new NotFoundException("pipeline " + pipelineId + " not found");
            }
            int next = Jdbc.queryOne(c, "SELECT coalesce(max(version), 0) + 1 FROM function_versions"
                + " WHERE pipeline_id = ?", rs -> rs.getInt(1), pipelineId).orElse(1);
            var version = new FunctionVersion(pipelineId, next, source, requirementsTxt, environments, status, "",
                Jdbc.micros(clock.instant()));
            insertVersion(c, version);
            return version;
        });
    }

    @Override
    public Optional<FunctionVersion> findVersion(String pipelineId, int version) {
        return jdbc.queryOne("SELECT " + VERSION_COLUMNS + " FROM function_versions"
            + " WHERE pipeline_id = ? AND version = ?", PostgresPipelineStore::version, pipelineId, version);
    }

    @Override
    public List<FunctionVersion> versions(String pipelineId) {
        return jdbc.query("SELECT " + VERSION_COLUMNS + " FROM function_versions WHERE pipeline_id = ?"
            + " ORDER BY version DESC", PostgresPipelineStore::version, pipelineId);
    }

    @Override
    public void updateBuild(String pipelineId, int version, BuildStatus status, String buildLog) {
        int updated = jdbc.update("UPDATE function_versions SET build_status = ?, build_log = ?"
            + " WHERE pipeline_id = ? AND version = ?", status.wire(), buildLog == null ? "" : buildLog,
            pipelineId, version);
        if (updated == 0) {
            throw new NotFoundException("pipeline " + pipelineId + " has no version " + version);
        }
    }

    private static void insertVersion(Connection c, FunctionVersion v) throws SQLException {
        Jdbc.update(c, "INSERT INTO function_versions (pipeline_id, version, source, requirements_txt,"
                + " environments, build_status, build_log, created_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)",
            v.pipelineId(), v.version(), v.source(), v.requirementsTxt(), Json.environments(v.environments()),
            v.status().wire(), v.buildLog(), v.createdAt());
    }

    private static void requireSamePipeline(Pipeline pipeline, String otherId, String what) {
        if (!Objects.equals(pipeline.id(), otherId)) {
            throw new InvalidInputException(what + " belongs to pipeline " + otherId + ", not " + pipeline.id());
        }
    }

    private static Pipeline pipeline(ResultSet rs) throws SQLException {
        return new Pipeline(rs.getString("id"), rs.getString("space_id"), rs.getString("name"),
            PipelineState.parse(rs.getString("state")), Json.read(rs.getString("metadata")),
            Json.read(rs.getString("source_connector")), Json.read(rs.getString("sink_connector")),
            Json.settings(rs.getString("settings")), rs.getInt("active_version"), Jdbc.instant(rs, "created_at"),
            Jdbc.instant(rs, "updated_at"));
    }

    private static FunctionVersion version(ResultSet rs) throws SQLException {
        return new FunctionVersion(rs.getString("pipeline_id"), rs.getInt("version"), rs.getString("source"),
            rs.getString("requirements_txt"), Json.environments(rs.getString("environments")),
            BuildStatus.parse(rs.getString("build_status")), rs.getString("build_log"),
            Jdbc.instant(rs, "created_at"));
    }
}
