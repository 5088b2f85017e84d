from django.core.management.base import BaseCommand

from jarida.readership.counting import flush


class Command(BaseCommand):
    help = "يكتب القراءات المخزنة مؤقتًا في قاعدة البيانات ويحدّث قوائم الأكثر قراءة."

    def handle(self, *args, **options):
        written = flush()
        self.stdout.write(f"{written} قراءة كُتبت.")
