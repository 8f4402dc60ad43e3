// A minimal Docusaurus 3 site for the docs tree that `opsdocs build --target docusaurus`
// writes into docs/. Strict on purpose: a broken link or anchor fails the build.
// Environment (used by the tests): OPSDOCS_MARKDOWN_FORMAT=detect builds with format
// 'detect' instead of the default 'mdx'; OPSDOCS_DOCS_DIR reads the docs from another folder.

const format = process.env.OPSDOCS_MARKDOWN_FORMAT || 'mdx';

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: process.env.OPSDOCS_SITE_TITLE || 'Operations documentation',
  url: 'https://docs.example.invalid',
  baseUrl: '/',
  favicon: 'img/favicon.svg',
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  trailingSlash: false,
  markdown: {
    format,
    mermaid: true,
    hooks: {onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw'},
  },
  themes: ['@docusaurus/theme-mermaid'],
  presets: [
    [
      'classic',
      {
        docs: {path: process.env.OPSDOCS_DOCS_DIR || 'docs', routeBasePath: '/', sidebarPath: './sidebars.js'},
        blog: false,
        pages: false,
      },
    ],
  ],
  themeConfig: {
    navbar: {title: process.env.OPSDOCS_SITE_TITLE || 'Operations documentation'},
    prism: {additionalLanguages: ['bash']},
  },
};

module.exports = config;
