/*
 * The analysis components the `.security` system index of Elasticsearch 8.19 names in its settings
 * (an "email" analyzer: tokenizer uax_url_email, filters pattern_capture, lowercase, unique). The full
 * distribution has them in its analysis-common module; the Maven integ-test archive the project runs
 * does not ship that module and Maven Central has no artifact of it, so without them the `.security`
 * index cannot be created and neither API keys nor native users exist. This plugin registers the
 * three missing ones over the Lucene classes the archive already has (lucene-analysis-common);
 * `lowercase` is built into the server. scripts/es-cluster.ts compiles it with javac and installs
 * it with elasticsearch-plugin into the local cluster's own copy of the archive. Not for production:
 * a production cluster runs the full distribution.
 */
package jukinet;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

public class SecurityIndexAnalysisPlugin extends Plugin implements AnalysisPlugin {
  @Override
  public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
    return Map.of(
        "pattern_capture",
        (indexSettings, env, name, settings) -> {
          boolean preserve = settings.getAsBoolean("preserve_original", true);
          Pattern[] patterns = settings.getAsList("patterns").stream().map(Pattern::compile).toArray(Pattern[]::new);
          return new AbstractTokenFilterFactory(name, settings) {
            @Override
            public TokenStream create(TokenStream in) {
              return new PatternCaptureGroupTokenFilter(in, preserve, patterns);
            }
          };
        },
        "unique",
        (indexSettings, env, name, settings) -> new AbstractTokenFilterFactory(name, settings) {
          @Override
          public TokenStream create(TokenStream in) {
            return new Unique(in);
          }
        });
  }

  @Override
  public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
    return Map.of("uax_url_email", (indexSettings, env, name, settings) -> TokenizerFactory.newFactory(name, UAX29URLEmailTokenizer::new));
  }

  /** Drops a token already seen in the stream. */
  static final class Unique extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final CharArraySet seen = new CharArraySet(8, false);

    Unique(TokenStream in) {
      super(in);
    }

    @Override
    public boolean incrementToken() throws IOException {
      while (input.incrementToken()) {
        char[] copy = new char[term.length()];
        System.arraycopy(term.buffer(), 0, copy, 0, term.length());
        if (seen.add(copy)) return true;
      }
      return false;
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      seen.clear();
    }
  }
}
