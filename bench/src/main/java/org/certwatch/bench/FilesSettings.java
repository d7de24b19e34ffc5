package org.certwatch.bench;

import java.lang.annotation.Annotation;
import org.certwatch.api.store.SecretSealer;
import org.certwatch.source.files.internal.FilesConfiguration;

/** The files source's configuration in the files benchmark: watches under {@code root}, 100,000 files in one. */
final class FilesSettings {
    private FilesSettings() {
    }

    static FilesConfiguration of(String root) {
        return new FilesConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FilesConfiguration.class;
            }

            @Override
            public String[] allowed_roots() {
                return new String[] {root};
            }

            @Override
            public String rescan_interval() {
                return "PT5M";
            }

            @Override
            public int debounce_ms() {
                return 300;
            }

            @Override
            public int max_file_bytes() {
                return 4 * 1024 * 1024;
            }

            @Override
            public int max_aliases() {
                return 1000;
            }

            @Override
            public int max_certificates() {
                return 1000;
            }

            @Override
            public int max_files_per_watch() {
                return 250_000;
            }
        };
    }

    /** The benchmark needs no secrets. */
    static final class PlainSealer implements SecretSealer {
        @Override
        public String seal(char[] secret) {
            return new String(secret);
        }

        @Override
        public char[] open(String sealed) {
            return sealed.toCharArray();
        }
    }
}
