package jinit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Durations print one way everywhere: the log, `jinit ctl`'s answers. */
class DurationsTest {

    @ParameterizedTest
    @CsvSource({"0,0ms", "499999,0ms", "500000,1ms", "850000000,850ms", "999000000,999ms",
        "999500000,1.0s", "999999000,1.0s", "1000000000,1.0s", "1049000000,1.0s", "1050000000,1.1s", "8000000000,8.0s",
        "12300000000,12.3s", "59940000000,59.9s", "59950000000,1m00s", "245000000000,4m05s", "3599000000000,59m59s",
        "3600000000000,1h00m", "7380000000000,2h03m", "-5,0ms"})
    void format(long nanos, String text) {
        assertEquals(text, Durations.format(nanos));
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,0", "499999,0", "999999,1", "1499999,1", "1500000,2", "-3,0"})
    void roundedMillis(long nanos, long millis) {
        assertEquals(millis, Durations.roundedMillis(nanos));
    }
}
