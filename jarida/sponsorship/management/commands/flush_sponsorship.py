from django.core.management.base import BaseCommand

from jarida.sponsorship.services import flush


class Command(BaseCommand):
    help = "يكتب مرات الظهور والنقرات المخزنة مؤقتًا في تقرير الحملات اليومي."

    def handle(self, *args, **options):
        self.stdout.write(f"{flush()} حدثًا كُتب.")
