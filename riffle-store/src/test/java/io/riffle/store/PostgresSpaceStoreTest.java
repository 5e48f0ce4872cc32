package io.riffle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.ConflictException;
import io.riffle.core.NotFoundException;
import io.riffle.core.Role;
import io.riffle.core.SpaceMembership;
import io.riffle.core.SpaceStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresSpaceStoreTest {
    private static StoreFixture fixture;
    private static SpaceStore spaces;

    @BeforeAll
    static void setUp() {
        fixture = new StoreFixture();
        spaces = fixture.database.spaces();
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    @Test
    void creatorIsOwner() {
        var owner = fixture.user(false);
        var space = spaces.create("analytics", owner.id());

        assertThat(spaces.find(space.id(), owner)).contains(new SpaceMembership(space, Role.OWNER));
        assertThat(spaces.list(owner)).containsExactly(new SpaceMembership(space, Role.OWNER));
    }

    @Test
    void membersSeeTheirOwnRoleOldestFirst() {
        var owner = fixture.user(false);
        var viewer = fixture.user(false);
        var first = spaces.create("first", owner.id());
        var second = spaces.create("second", owner.id());
        var mine = spaces.create("mine", viewer.id());
        fixture.testDatabase.execute("INSERT INTO " + fixture.testDatabase.schema()
            + ".space_members (space_id, user_id, role) VALUES ('" + first.id() + "', '" + viewer.id() + "', 'viewer')");

        assertThat(spaces.find(first.id(), viewer)).contains(new SpaceMembership(first, Role.VIEWER));
        assertThat(spaces.find(second.id(), viewer)).isEmpty();
        assertThat(spaces.list(viewer)).containsExactly(new SpaceMembership(first, Role.VIEWER),
            new SpaceMembership(mine, Role.OWNER));
    }

    @Test
    void nonMemberSeesNothing() {
        var owner = fixture.user(false);
        var stranger = fixture.user(false);
        var space = spaces.create("private", owner.id());

        assertThat(spaces.find(space.id(), stranger)).isEmpty();
        assertThat(spaces.list(stranger)).isEmpty();
        assertThat(spaces.find("no-such-space", owner)).isEmpty();
    }

    @Test
    void adminSeesEverySpaceAsOwner() {
        var owner = fixture.user(false);
        var admin = fixture.user(true);
        var space = spaces.create("someone else's", owner.id());

        assertThat(spaces.find(space.id(), admin)).contains(new SpaceMembership(space, Role.OWNER));
        assertThat(spaces.list(admin)).contains(new SpaceMembership(space, Role.OWNER))
            .allSatisfy(m -> assertThat(m.role()).isEqualTo(Role.OWNER));
    }

    @Test
    void createForMissingUserIsNotFound() {
        assertThatThrownBy(() -> spaces.create("orphan", "no-such-user")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteOfNonEmptySpaceIsConflict() {
        var owner = fixture.user(false);
        var space = spaces.create("busy", owner.id());
        fixture.pipeline(space.id());
        fixture.pipeline(space.id());

        assertThatThrownBy(() -> spaces.delete(space.id())).isInstanceOf(ConflictException.class)
            .hasMessage("space is not empty: delete its 2 pipelines first");
        assertThat(spaces.find(space.id(), owner)).isPresent();
    }

    @Test
    void deleteRemovesEmptySpaceAndMissingIsNotFound() {
        var owner = fixture.user(false);
        var space = spaces.create("empty", owner.id());

        spaces.delete(space.id());

        assertThat(spaces.find(space.id(), owner)).isEmpty();
        assertThat(spaces.list(owner)).isEmpty();
        assertThatThrownBy(() -> spaces.delete(space.id())).isInstanceOf(NotFoundException.class);
    }
}
