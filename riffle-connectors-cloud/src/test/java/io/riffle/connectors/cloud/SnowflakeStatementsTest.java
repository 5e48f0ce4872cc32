package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.cloud.SnowflakeStatements.Binding;
import org.junit.jupiter.api.Test;

class SnowflakeStatementsTest {
    private static SnowflakeStatements.Statement of(String json) throws Exception {
        return SnowflakeStatements.of(Payloads.JSON.readTree(json.replace('\'', '"')), "PUBLIC");
    }

    @Test
    void insertBindsEveryValueAndWritesNullAsNull() throws Exception {
        var s = of("{'operation':'INSERT','schema':'sales','table':'orders','columns':{'id':7,'amount':9.5,"
            + "'note':'x\\\"); DROP TABLE t;--','paid':true,'extra':{'a':1},'gone':null}}");
        assertThat(s.sql()).isEqualTo("INSERT INTO sales.orders (id, amount, note, paid, extra, gone) "
            + "VALUES (?, ?, ?, ?, ?, NULL)");
        assertThat(s.bindings()).containsExactly(new Binding("FIXED", "7"), new Binding("REAL", "9.5"),
            new Binding("TEXT", "x\"); DROP TABLE t;--"), new Binding("BOOLEAN", "true"),
            new Binding("TEXT", "{\"a\":1}"));
        assertThat(s.schema()).isEqualTo("sales");
    }

    @Test
    void updateAndDeleteUseTheFiltersAndTheDefaultSchema() throws Exception {
        var update = of("{'operation':'update','table':'orders','columns':[{'name':'status','value':'paid'}],"
            + "'filters':[{'name':'id','value':7},{'name':'deleted_at','value':null}]}");
        assertThat(update.sql()).isEqualTo("UPDATE PUBLIC.orders SET status = ? WHERE id = ? AND deleted_at IS NULL");
        assertThat(update.bindings()).containsExactly(new Binding("TEXT", "paid"), new Binding("FIXED", "7"));
        var delete = of("{'operation':'DELETE','table':'Order Lines','filters':{'id':7}}");
        assertThat(delete.sql()).isEqualTo("DELETE FROM PUBLIC.\"Order Lines\" WHERE id = ?");
    }

    @Test
    void refusesChangesThatAreNotValid() {
        assertThatThrownBy(() -> of("{'operation':'MERGE','table':'t','columns':{'a':1}}"))
            .hasMessageContaining("operation must be INSERT, UPDATE or DELETE; got 'MERGE'");
        assertThatThrownBy(() -> of("{'operation':'DELETE','table':'t'}"))
            .hasMessageContaining("filters").hasMessageContaining("every row");
        assertThatThrownBy(() -> of("{'operation':'INSERT','table':'t','columns':{}}")).hasMessageContaining("columns");
        assertThatThrownBy(() -> of("{'operation':'INSERT','columns':{'a':1}}")).hasMessageContaining("table");
        assertThatThrownBy(() -> of("{'operation':'INSERT','table':'t','columns':'a=1'}"))
            .hasMessageContaining("columns must be");
        assertThatThrownBy(() -> SnowflakeStatements.of(null, "P")).hasMessageContaining("JSON object");
    }

    @Test
    void quotesIdentifiersThatAreNotPlain() {
        assertThat(SnowflakeStatements.identifier("ok_Name$1")).isEqualTo("ok_Name$1");
        assertThat(SnowflakeStatements.identifier("we\"ird")).isEqualTo("\"we\"\"ird\"");
    }
}
