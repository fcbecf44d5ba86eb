import re, os, sys, collections
SITES="jekyll-docs brew-sh karpathy made-mistakes letsencrypt opentelemetry coredns rust-blog rust-embedded".split()
ART=('.md','.markdown','.mdown','.mkd','.html')
def norm(m):
    m=re.sub(r'`[^`]*`','`…`',m); m=re.sub(r'"[^"]*"','"…"',m)
    m=re.sub(r'\(line \d+\)','(line N)',m)
    m=re.sub(r'\S*/\S*','…',m)
    m=m.replace(' (keep your own fields under `…`, or set `…` in site.toml)','')
    return m[:70]
for mode in sys.argv[1:]:
    print(f"\n### unknown_fields = \"{mode}\"\n")
    print("| site | items | files with errors | load clean | built articles | errors | warnings | errors by kind (count × message, paths elided) |")
    print("|---|---|---|---|---|---|---|---|")
    for s in SITES:
        T=f"/tmp/wt15-real/{s}-{mode}"
        items=0
        for root,_,files in os.walk(T+"/content"):
            for f in files:
                if f.endswith(ART) and not f.startswith('_index'): items+=1
        err=open(T+"/stderr").read().splitlines()
        errs=[l for l in err if re.match(r'^\S+:\d+:\d+: error: ',l)]
        warns=[l for l in err if ': warning: ' in l]
        files=len({l.split(':')[0] for l in errs})
        kinds=collections.Counter(norm(l.split(': error: ',1)[1]) for l in errs)
        built=0
        if os.path.isdir(T+"/public") and not errs:
            out=open(T+"/stdout").read()+"\n".join(err)
            mm=re.search(r'(\d+) articles?',out)
            built=mm.group(1) if mm else '?'
        k="; ".join(f"{n}× {m}" for m,n in kinds.most_common(5))
        if len(kinds)>5: k+=f"; +{len(kinds)-5} more kinds"
        print(f"| {s} | {items} | {files} | {items-files} | {built} | {len(errs)} | {len(warns)} | {k} |")
