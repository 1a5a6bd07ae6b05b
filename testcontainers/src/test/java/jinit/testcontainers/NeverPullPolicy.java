package jinit.testcontainers;

import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Never contact a registry (testcontainers.properties: pull.policy). Every image of these tests
 * is built locally; a missing one fails at once instead of after minutes of pull retries.
 */
public class NeverPullPolicy implements ImagePullPolicy {
    @Override
    public boolean shouldPull(DockerImageName imageName) {
        return false;
    }
}
