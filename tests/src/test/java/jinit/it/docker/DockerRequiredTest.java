package jinit.it.docker;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without Docker the suite skips (each class says why). Where Docker is required (CI exports
 * REQUIRE_DOCKER=true), a missing or unusable daemon fails the build here instead.
 */
@Tag("docker")
@EnabledIfEnvironmentVariable(named = "REQUIRE_DOCKER", matches = "true")
class DockerRequiredTest {
    @Test
    void dockerIsAvailable() {
        assertTrue(DockerClientFactory.instance().isDockerAvailable(),
            "REQUIRE_DOCKER=true but Testcontainers finds no usable Docker daemon");
    }
}
