package jinit.testcontainers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without Docker these tests skip (each class says why). Where Docker is required (CI exports
 * REQUIRE_DOCKER=true), a missing or unusable daemon fails the build here instead.
 */
@EnabledIfEnvironmentVariable(named = "REQUIRE_DOCKER", matches = "true")
class DockerRequiredTest {
    @Test
    void dockerIsAvailable() {
        assertTrue(DockerClientFactory.instance().isDockerAvailable(),
            "REQUIRE_DOCKER=true but Testcontainers finds no usable Docker daemon");
    }
}
